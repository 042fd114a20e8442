package dev.coderd.it;

import dev.coderd.it.fixtures.JettyFixture;

/** Jetty 12 ee10 (jakarta.servlet), plain servlets and filters, a configured route template. */
class JettyServletIT extends ServletFixtureContract {
    JettyServletIT() {
        super(JettyFixture.class, true);
    }
}

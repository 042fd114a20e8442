package dev.coderd.it;

import dev.coderd.it.fixtures.UndertowFixture;

/** Undertow 2.3 (jakarta.servlet 6), plain servlets and filters, a configured route template. */
class UndertowServletIT extends ServletFixtureContract {
    UndertowServletIT() {
        super(UndertowFixture.class, true);
    }
}

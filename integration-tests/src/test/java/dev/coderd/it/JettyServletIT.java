package dev.coderd.it;

import dev.coderd.it.fixtures.JettyFixture;
import dev.coderd.it.support.ForkedJvm;

/** Jetty 12 ee10 (jakarta.servlet), plain servlets and filters, a configured route template. */
class JettyServletIT extends ServletFixtureContract {
    @Override
    ForkedJvm launch(ForkedJvm.Builder builder, int appPort) {
        return builder.main(JettyFixture.class, Integer.toString(appPort)).start("fixture ready on port (\\d+)");
    }

    @Override
    String routes() {
        return "/api/v2/users/{user}";
    }

    @Override
    String usersRoute() {
        return "/api/v2/users/{user}";
    }
}

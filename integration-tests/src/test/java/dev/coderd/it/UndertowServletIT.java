package dev.coderd.it;

import dev.coderd.it.fixtures.UndertowFixture;
import dev.coderd.it.support.ForkedJvm;

/** Undertow 2.3 (jakarta.servlet 6), plain servlets and filters, a configured route template. */
class UndertowServletIT extends ServletFixtureContract {
    @Override
    ForkedJvm launch(ForkedJvm.Builder builder, int appPort) {
        return builder.main(UndertowFixture.class, Integer.toString(appPort)).start("fixture ready on port (\\d+)");
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

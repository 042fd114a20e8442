package dev.coderd.it;

import dev.coderd.it.fixtures.TomcatJavaxFixture;
import dev.coderd.it.support.ForkedJvm;

/** Tomcat 9 (javax.servlet 4.0), no configured templates: routes are the servlet mappings. */
class TomcatJavaxServletIT extends ServletFixtureContract {
    @Override
    ForkedJvm launch(ForkedJvm.Builder builder, int appPort) {
        return builder.main(TomcatJavaxFixture.class, Integer.toString(appPort)).start("fixture ready on port (\\d+)");
    }

    @Override
    String usersRoute() {
        return "/api/v2/users/*";
    }
}

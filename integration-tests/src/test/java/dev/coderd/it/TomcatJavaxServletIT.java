package dev.coderd.it;

import dev.coderd.it.fixtures.TomcatJavaxFixture;

/** Tomcat 9 (javax.servlet 4.0), no configured templates: routes are the servlet mappings. */
class TomcatJavaxServletIT extends ServletFixtureContract {
    TomcatJavaxServletIT() {
        super(TomcatJavaxFixture.class, false);
    }
}

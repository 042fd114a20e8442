package dev.coderd.it;

import dev.coderd.it.fixtures.JdkServerFixture;
import dev.coderd.it.support.ForkedJvm;

/** The JDK's com.sun.net.httpserver: routes from a configured template, else the context path. */
class JdkHttpServerIT extends HttpApiContract {
    @Override
    ForkedJvm launch(ForkedJvm.Builder builder, int appPort) {
        return startFixture(builder, JdkServerFixture.class, appPort);
    }

    @Override
    String routes() {
        return USERS_TEMPLATE;
    }

    /** The fixture catalogue with a configured users template; the JDK server has no forwards or async requests. */
    @Override
    Call call(Endpoint endpoint) {
        return fixtureCall(endpoint, USERS_TEMPLATE);
    }
}

package dev.coderd.it;

import dev.coderd.it.fixtures.JdkServerFixture;
import dev.coderd.it.support.ForkedJvm;

/** The JDK's com.sun.net.httpserver: routes from a configured template, else the context path. */
class JdkHttpServerIT extends HttpApiContract {
    @Override
    ForkedJvm launch(ForkedJvm.Builder builder, int appPort) {
        return builder.main(JdkServerFixture.class, Integer.toString(appPort)).start("fixture ready on port (\\d+)");
    }

    @Override
    String routes() {
        return "/api/v2/users/{user}";
    }

    /** The fixture catalogue with a configured users template; the JDK server has no forwards or async requests. */
    @Override
    Call call(Endpoint endpoint) {
        return fixtureCall(endpoint, "/api/v2/users/{user}");
    }
}

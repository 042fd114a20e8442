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

    @Override
    Call call(Endpoint endpoint) {
        switch (endpoint) {
            case USER: return new Call("/api/v2/users/{user}", "/api/v2/users/{user}", 200);
            case ERROR_STATUS: return new Call("/api/v2/fail", "/api/v2/fail", 503);
            case EXCEPTION: return new Call("/api/v2/panic", "/api/v2/panic", 500);
            case SLOW_30MS: return new Call("/api/v2/slow?ms=30", "/api/v2/slow", 200);
            case SLOW_1500MS: return new Call("/api/v2/slow?ms=1500", "/api/v2/slow", 200);
            case REDIRECT: return new Call("/api/v2/redirect", "/api/v2/redirect", 302);
            default: throw new IllegalArgumentException(endpoint + ": the JDK server has no forwards or async requests");
        }
    }
}

package dev.coderd.it;

import dev.coderd.it.support.Artifacts;
import dev.coderd.it.support.ForkedJvm;

/** The test-app: Spring Boot 3, Tomcat 10 (jakarta), Spring MVC route templates. */
class SpringTestAppIT extends ServletContract {
    @Override
    ForkedJvm launch(ForkedJvm.Builder builder, int appPort) {
        return builder.jar(Artifacts.testAppJar(), "--server.port=" + appPort).start("test-app ready on port (\\d+)");
    }

    @Override
    Call call(Endpoint endpoint) {
        switch (endpoint) {
            case USER: return new Call("/api/v2/users/{user}", "/api/v2/users/{user}", 200);
            case ERROR_STATUS: return new Call("/api/v2/organizations/acme", "/api/v2/organizations/{organization}", 404);
            case EXCEPTION: return new Call("/api/v2/debug/panic", "/api/v2/debug/panic", 500);
            case SLOW_30MS: return new Call("/api/v2/debug/slow?ms=30", "/api/v2/debug/slow", 200);
            case SLOW_1500MS: return new Call("/api/v2/debug/slow?ms=1500", "/api/v2/debug/slow", 200);
            case ASYNC_200MS: return new Call("/api/v2/debug/async?ms=200", "/api/v2/debug/async", 200);
            case REDIRECT: return new Call("/api/v2/debug/redirect", "/api/v2/debug/redirect", 302);
            case FORWARD: return new Call("/api/v2/debug/forward", "/api/v2/debug/forward", 200);
            default: throw new IllegalArgumentException(endpoint.name());
        }
    }
}

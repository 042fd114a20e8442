package dev.coderd.it;

/** The servlet fixtures' shared catalogue ({@code fixtures.ServletCatalogue}); subclasses only launch. */
abstract class ServletFixtureContract extends ServletContract {
    /** The route of the users servlet: a configured template, or its servlet mapping when none is configured. */
    abstract String usersRoute();

    @Override
    Call call(Endpoint endpoint) {
        switch (endpoint) {
            case USER: return new Call("/api/v2/users/{user}", usersRoute(), 200);
            case ERROR_STATUS: return new Call("/api/v2/fail", "/api/v2/fail", 503);
            case EXCEPTION: return new Call("/api/v2/panic", "/api/v2/panic", 500);
            case SLOW_30MS: return new Call("/api/v2/slow?ms=30", "/api/v2/slow", 200);
            case SLOW_1500MS: return new Call("/api/v2/slow?ms=1500", "/api/v2/slow", 200);
            case REDIRECT: return new Call("/api/v2/redirect", "/api/v2/redirect", 302);
            case FORWARD: return new Call("/api/v2/forward", "/api/v2/forward", 200);
            case ASYNC_200MS: return new Call("/api/v2/async?ms=200", "/api/v2/async", 200);
            default: throw new IllegalArgumentException(endpoint.name());
        }
    }
}

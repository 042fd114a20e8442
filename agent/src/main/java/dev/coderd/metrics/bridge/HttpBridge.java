package dev.coderd.metrics.bridge;

/**
 * The static entry points that HTTP advice, inlined into application and JDK classes, calls. Until the core
 * installs its {@link HttpHook} every method is a no-op, so advice woven before start-up finished is harmless.
 *
 * <p>Advice catches its own exceptions ({@code suppress = Throwable.class}); nothing here throws by design.
 */
public final class HttpBridge {
    /** The request attribute that marks a request already measured (error dispatches, async re-dispatches). */
    public static final String SCOPE_ATTRIBUTE = "dev.coderd.metrics.request";

    /** Spring MVC's {@code HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE}. */
    public static final String SPRING_PATTERN_ATTRIBUTE =
            "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

    private static volatile HttpHook hook;

    private HttpBridge() {}

    public static void install(HttpHook installed) {
        hook = installed;
    }

    public static boolean enterDispatch() {
        HttpHook h = hook;
        return h != null && h.enterDispatch();
    }

    public static void exitDispatch() {
        HttpHook h = hook;
        if (h != null) {
            h.exitDispatch();
        }
    }

    public static Object startRequest(Object existing, String method, String uri, String servletMapping, String upgrade) {
        HttpHook h = hook;
        return h == null ? null : h.startRequest(existing, method, uri, servletMapping, upgrade);
    }

    public static void endDispatch(Object scope, int status, Throwable thrown, Object asyncContext) {
        HttpHook h = hook;
        if (h != null && scope != null) {
            h.endDispatch(scope, status, thrown, asyncContext);
        }
    }

    public static void routeTemplate(Object template) {
        HttpHook h = hook;
        if (h != null && template != null) {
            h.routeTemplate(template);
        }
    }

    public static void jdkContextCreated(Object httpContext) {
        HttpHook h = hook;
        if (h != null && httpContext != null) {
            h.jdkContextCreated(httpContext);
        }
    }
}

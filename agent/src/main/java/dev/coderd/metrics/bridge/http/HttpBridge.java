package dev.coderd.metrics.bridge.http;

import dev.coderd.metrics.bridge.AgentThread;

/**
 * What the HTTP server advice calls, inlined into servlet containers, Spring MVC and the JDK HTTP server.
 * Until the core installs its {@link HttpHook} every method is a no-op, so advice woven before start-up
 * finished is harmless; on the agent's own threads ({@link AgentThread}) nothing is measured.
 *
 * <p>Three paths, each read straight: a servlet dispatch ({@link #enterDispatch} … {@link #endDispatch}),
 * Spring MVC naming the route ({@link #routeTemplate}), and a JDK server context asking for the agent's
 * filter ({@link #jdkServerFilter}). Nothing here throws by design.
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

    // --- servlet: outermost dispatch only -------------------------------------------------------------

    /** Counts one servlet or filter entry on this thread; true when it is the outermost one and measured. */
    public static boolean enterDispatch() {
        HttpHook h = hook;
        return h != null && !AgentThread.current() && h.enterDispatch();
    }

    /** Undoes {@link #enterDispatch()}; advice calls it for every entry that returned true or false. */
    public static void exitDispatch() {
        HttpHook h = hook;
        if (h != null && !AgentThread.current()) {
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

    // --- Spring MVC: the route template -------------------------------------------------------------

    public static void routeTemplate(Object template) {
        HttpHook h = hook;
        if (h != null && template != null) {
            h.routeTemplate(template);
        }
    }

    // --- JDK HTTP server: the filter its advice adds to each new context ---------------------------------

    /** A {@code com.sun.net.httpserver.Filter} that measures the context's exchanges, or null before start-up. */
    public static Object jdkServerFilter() {
        HttpHook h = hook;
        return h == null ? null : h.jdkServerFilter();
    }
}

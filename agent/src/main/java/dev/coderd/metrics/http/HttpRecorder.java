package dev.coderd.metrics.http;

import dev.coderd.metrics.config.RouteTemplates;
import dev.coderd.metrics.context.CallDepth;
import dev.coderd.metrics.context.Clock;
import dev.coderd.metrics.context.RequestContext;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.ApiMetrics;
import dev.coderd.metrics.metrics.InFlightGauge;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns server events into the {@code coderd_api_*} families: the one place where a request's route, method
 * and code become data points. Fed by the servlet, Spring MVC and JDK HTTP server instrumentations
 * ({@code instrumentation/http/}).
 *
 * <pre>
 * if (recorder.enterDispatch()) scope = recorder.startRequest(null, "GET", "/api/v2/users/alice", null, null);
 * recorder.routeTemplate("/api/v2/users/{user}");           // Spring MVC resolved its pattern
 * recorder.exitDispatch();
 * recorder.endDispatch(scope, 200, null);                   // counted once, latency observed
 * </pre>
 *
 * <p>Route resolution follows the contract: framework template, configured template, servlet mapping or
 * JDK context path, then {@code UNKNOWN} ({@code /api/...}) or {@code STATIC}. The route of the request a
 * thread serves is published in the shared {@link RequestContext} for other recorders. Allocation budget on
 * the hot path: none. Each thread reuses its {@link RequestScope} (only a request that goes async takes a new
 * one), data points are cached per route in {@link RouteSeries}, and there are no locks.
 */
public final class HttpRecorder {
    static final String UNKNOWN = "UNKNOWN";
    static final String STATIC = "STATIC";

    private final ApiMetrics metrics;
    private final RouteTemplates templates;
    private final int routeLimit;
    private final RequestContext context;
    private final Clock clock;
    private final CallDepth dispatches = new CallDepth();
    private final ConcurrentHashMap<String, RouteSeries> routes = new ConcurrentHashMap<>();
    private final ThreadLocal<Frame> frames = ThreadLocal.withInitial(Frame::new);
    private volatile WebsocketUpgrades websocketUpgrades = WebsocketUpgrades.NONE;

    public HttpRecorder(ApiMetrics metrics, List<String> routeTemplates, int routeLimit, RequestContext context, Clock clock) {
        this.metrics = metrics;
        this.templates = RouteTemplates.of(routeTemplates);
        this.routeLimit = routeLimit;
        this.context = context;
        this.clock = clock;
    }

    public void onWebsocketUpgrade(WebsocketUpgrades upgrades) {
        this.websocketUpgrades = upgrades;
    }

    /** Per thread: which request it serves and its reusable scope. */
    private static final class Frame {
        RequestScope current;
        RequestScope spare = new RequestScope();
    }

    /** One servlet, filter or server entry on this thread; true when it is the outermost one. */
    public boolean enterDispatch() {
        return dispatches.enter();
    }

    /** Undoes {@link #enterDispatch()}; once the outermost returns the thread serves no request. */
    public void exitDispatch() {
        if (dispatches.exit()) {
            frames.get().current = null;
            context.exit();
        }
    }

    /**
     * The outermost dispatch of a request began. {@code existing} is the scope an earlier dispatch of the
     * same request stored on it (error page, async re-dispatch), or null for a new request.
     */
    public Object startRequest(Object existing, String method, String uri, String servletMapping, String upgrade) {
        Frame frame = frames.get();
        RequestScope scope = existing instanceof RequestScope
                ? (RequestScope) existing
                : start(frame, method, uri, servletMapping, upgrade);
        frame.current = scope;
        context.enter(scope.route.path);
        return scope;
    }

    private RequestScope start(Frame frame, String method, String uri, String mapping, String upgrade) {
        long startNanos = clock.nanoTime();
        int m = HttpMethods.index(method);
        boolean websocket = upgrade != null && upgrade.equalsIgnoreCase("websocket");
        RequestScope scope = frame.spare;
        if (scope.state() != RequestScope.ENDED) {
            scope = frame.spare = new RequestScope(); // the last one never ended: leave it alone
        }
        scope.begin(startNanos, m, websocket, route(resolve(uri, mapping)));
        if (websocket) {
            websocketUpgrades.attempted(uri);
        } else {
            InFlightGauge concurrent = scope.route.concurrent(m);
            concurrent.inc();
            scope.concurrent = concurrent;
        }
        return scope;
    }

    /** The outermost dispatch returned synchronously: the request ends unless it went async before. */
    public void endDispatch(Object scope, int status, Throwable thrown) {
        RequestScope s = (RequestScope) scope;
        if (s.state() == RequestScope.ACTIVE) {
            end(s, status, thrown);
        }
        // ASYNC: a re-dispatch returned; the completion ends the request. ENDED: an error page.
    }

    /**
     * The outermost dispatch returned with the request in async mode. True when this dispatch put it there
     * (the caller then arranges {@link #end} on completion); false for a re-dispatch of an async request.
     */
    public boolean goAsync(Object scope) {
        RequestScope s = (RequestScope) scope;
        if (!s.goAsync()) {
            return false;
        }
        Frame frame = frames.get();
        if (frame.spare == s) {
            frame.spare = new RequestScope(); // the async request keeps this one
        }
        return true;
    }

    /** Counts the request once, whichever of dispatch exit or async completion gets here first. */
    public void end(Object scope, int status, Throwable thrown) {
        RequestScope s = (RequestScope) scope;
        long elapsedNanos = clock.nanoTime() - s.startNanos;
        if (!s.end()) {
            return;
        }
        int code = thrown != null ? 500 : status;
        RouteSeries route = s.route;
        route.processed(s.method, code).inc();
        if (s.websocketUpgrade && code == 101) {
            websocketUpgrades.accepted(route.path, s.startNanos);
            return;
        }
        route.latency(s.method).observe(elapsedNanos / 1e6);
        InFlightGauge concurrent = s.concurrent;
        if (concurrent != null) {
            concurrent.dec();
        }
    }

    /** A framework resolved the route template of the request this thread is serving; the first one wins. */
    public void routeTemplate(Object template) {
        RequestScope scope = frames.get().current;
        if (scope == null || scope.frameworkRoute || scope.state() == RequestScope.ENDED) {
            return;
        }
        String path = template.toString();
        if (path.equals("/**")) {
            return; // Spring's resource handler: not a route (a framework's own "/" is one)
        }
        scope.frameworkRoute = true;
        if (path.equals(scope.route.path)) {
            return;
        }
        RouteSeries next = route(path);
        InFlightGauge previous = scope.concurrent;
        if (previous != null) {
            InFlightGauge moved = next.concurrent(scope.method);
            moved.inc();
            scope.concurrent = moved;
            previous.withdraw(); // the provisional route leaves no series behind
        }
        scope.route = next;
        context.enter(path);
    }

    /**
     * Runs one request through a throwaway recorder and registry, so that the classes of the recording path
     * are loaded and initialised before the application's first request rather than inside its latency.
     */
    public static void warmUp() {
        HttpRecorder scratch = new HttpRecorder(new ApiMetrics(new AgentRegistry(10)), List.of("/warm/{up}"), 10,
                new RequestContext(), Clock.SYSTEM);
        if (scratch.enterDispatch()) {
            Object scope = scratch.startRequest(null, "GET", "/warm/up", "/warm/*", null);
            scratch.routeTemplate("/warm/{up}");
            scratch.exitDispatch();
            scratch.endDispatch(scope, 200, null);
        }
        scratch.frames.remove();
    }

    String resolve(String uri, String mapping) {
        String template = templates.match(uri);
        if (template != null) {
            return template;
        }
        if (mapping != null && !isCatchAll(mapping)) {
            return mapping.isEmpty() ? "/" : mapping;
        }
        return uri != null && uri.startsWith("/api/") ? UNKNOWN : STATIC;
    }

    /** A default servlet ({@code /}), a front controller ({@code /*}) or Spring's resource handler ({@code /**}). */
    private static boolean isCatchAll(String pattern) {
        return pattern.equals("/") || pattern.equals("/*") || pattern.equals("/**");
    }

    private RouteSeries route(String path) {
        RouteSeries series = routes.get(path);
        if (series == null) {
            if (routes.size() >= routeLimit) {
                return new RouteSeries(path, metrics); // the families' own limits still hold; only the cache is full
            }
            series = routes.computeIfAbsent(path, p -> new RouteSeries(p, metrics));
        }
        return series;
    }
}

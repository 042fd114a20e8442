package dev.coderd.metrics.http;

import dev.coderd.metrics.bridge.HttpHook;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.ApiMetrics;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Turns server events into the {@code coderd_api_*} families: the one place where a request's route, method
 * and code become data points. Fed by the servlet and Spring MVC advice through
 * {@link dev.coderd.metrics.bridge.HttpBridge}, and by the JDK HTTP server's filter directly.
 *
 * <pre>
 * if (recorder.enterDispatch()) scope = recorder.startRequest(null, "GET", "/api/v2/users/alice", null, null);
 * recorder.routeTemplate("/api/v2/users/{user}");           // Spring MVC resolved its pattern
 * recorder.exitDispatch();
 * recorder.endDispatch(scope, 200, null, null);             // counted once, latency observed
 * </pre>
 *
 * <p>Route resolution follows the contract: framework template, configured template, servlet mapping or
 * JDK context path, then {@code UNKNOWN} ({@code /api/...}) or {@code STATIC}. Allocation budget on the hot
 * path: none. Each thread reuses its {@link RequestScope} (only a request that goes async takes a new one),
 * data points are cached per route in {@link RouteSeries}, and there are no locks.
 */
public final class HttpRecorder implements HttpHook {
    static final String UNKNOWN = "UNKNOWN";
    static final String STATIC = "STATIC";

    private final ApiMetrics metrics;
    private final RouteTemplates templates;
    private final int routeLimit;
    private final ConcurrentHashMap<String, RouteSeries> routes = new ConcurrentHashMap<>();
    private final ThreadLocal<Frame> frames = ThreadLocal.withInitial(Frame::new);
    private final AsyncCompletion async = new AsyncCompletion(this);
    private volatile WebsocketUpgrades websocketUpgrades = WebsocketUpgrades.NONE;
    private volatile Consumer<Object> jdkContexts = context -> { };

    public HttpRecorder(ApiMetrics metrics, List<String> routeTemplates, int routeLimit) {
        this.metrics = metrics;
        this.templates = RouteTemplates.of(routeTemplates);
        this.routeLimit = routeLimit;
    }

    public void onWebsocketUpgrade(WebsocketUpgrades upgrades) {
        this.websocketUpgrades = upgrades;
    }

    public void onJdkContextCreated(Consumer<Object> listener) {
        this.jdkContexts = listener;
    }

    /** Per thread: how deep in servlets and filters it is, which request it serves, its reusable scope. */
    private static final class Frame {
        int depth;
        RequestScope current;
        RequestScope spare = new RequestScope();
    }

    @Override
    public boolean enterDispatch() {
        return frames.get().depth++ == 0;
    }

    @Override
    public void exitDispatch() {
        Frame frame = frames.get();
        if (frame.depth > 0 && --frame.depth == 0) {
            frame.current = null;
        }
    }

    @Override
    public Object startRequest(Object existing, String method, String uri, String servletMapping, String upgrade) {
        Frame frame = frames.get();
        RequestScope scope = existing instanceof RequestScope
                ? (RequestScope) existing
                : start(frame, method, uri, servletMapping, upgrade);
        frame.current = scope;
        return scope;
    }

    private RequestScope start(Frame frame, String method, String uri, String mapping, String upgrade) {
        long startNanos = System.nanoTime();
        int m = HttpMethods.index(method);
        boolean websocket = upgrade != null && upgrade.equalsIgnoreCase("websocket");
        RequestScope scope = frame.spare;
        if (scope.state() != RequestScope.ENDED) {
            scope = frame.spare = new RequestScope(); // the last one never ended: leave it alone
        }
        scope.begin(startNanos, m, websocket, route(resolve(uri, mapping)));
        if (!websocket) {
            GaugeDataPoint concurrent = scope.route.concurrent(m);
            concurrent.inc();
            scope.concurrent = concurrent;
        }
        return scope;
    }

    @Override
    public void endDispatch(Object scope, int status, Throwable thrown, Object asyncContext) {
        RequestScope s = (RequestScope) scope;
        if (asyncContext != null) {
            if (s.goAsync()) {
                Frame frame = frames.get();
                if (frame.spare == s) {
                    frame.spare = new RequestScope(); // the async request keeps this one
                }
                if (!async.listen(asyncContext, s)) {
                    end(s, status, thrown); // no way to hear the completion: end now rather than leak the gauge
                }
            }
        } else if (s.state() == RequestScope.ACTIVE) {
            end(s, status, thrown);
        }
        // ASYNC: a re-dispatch returned; the completion listener ends the request. ENDED: an error page.
    }

    /** Counts the request once, whichever of dispatch exit or async completion gets here first. */
    void end(RequestScope scope, int status, Throwable thrown) {
        long elapsedNanos = System.nanoTime() - scope.startNanos;
        if (!scope.end()) {
            return;
        }
        int code = thrown != null ? 500 : status;
        RouteSeries route = scope.route;
        route.processed(scope.method, code).inc();
        if (scope.websocketUpgrade && code == 101) {
            websocketUpgrades.accepted(route.path, scope.startNanos);
            return;
        }
        route.latency(scope.method).observe(elapsedNanos / 1e6);
        GaugeDataPoint concurrent = scope.concurrent;
        if (concurrent != null) {
            concurrent.dec();
        }
    }

    @Override
    public void routeTemplate(Object template) {
        RequestScope scope = frames.get().current;
        if (scope == null || scope.frameworkRoute || scope.state() == RequestScope.ENDED) {
            return;
        }
        String path = template.toString();
        if (isCatchAll(path)) {
            return;
        }
        scope.frameworkRoute = true;
        if (path.equals(scope.route.path)) {
            return;
        }
        RouteSeries next = route(path);
        GaugeDataPoint previous = scope.concurrent;
        if (previous != null) {
            GaugeDataPoint moved = next.concurrent(scope.method);
            moved.inc();
            scope.concurrent = moved;
            previous.dec();
        }
        scope.route = next;
    }

    @Override
    public void jdkContextCreated(Object httpContext) {
        jdkContexts.accept(httpContext);
    }

    /**
     * Runs one request through a throwaway recorder and registry, so that the classes of the recording path
     * are loaded and initialised before the application's first request rather than inside its latency.
     */
    public static void warmUp() {
        HttpRecorder scratch = new HttpRecorder(new ApiMetrics(new AgentRegistry(10)), List.of("/warm/{up}"), 10);
        if (scratch.enterDispatch()) {
            Object scope = scratch.startRequest(null, "GET", "/warm/up", "/warm/*", null);
            scratch.routeTemplate("/warm/{up}");
            scratch.exitDispatch();
            scratch.endDispatch(scope, 200, null, null);
        }
        scratch.frames.remove();
    }

    /** The current request's {@code path} label on this thread, or {@code ""} outside a request. */
    public String currentRoute() {
        RequestScope scope = frames.get().current;
        return scope == null ? "" : scope.route.path;
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

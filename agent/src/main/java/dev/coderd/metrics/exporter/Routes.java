package dev.coderd.metrics.exporter;

import dev.coderd.metrics.bridge.AgentThread;
import dev.coderd.metrics.exporter.webconfig.BasicAuth;
import dev.coderd.metrics.exporter.webconfig.RateLimit;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What happens to a parsed request, on the loop's thread: {@code /-/healthy} is always open; every other
 * path, once a web-config asks for it, passes the rate limit and basic auth first. Scrapes run on
 * {@link #WORKERS} worker threads with a queue of {@link #QUEUE}; bcrypt runs on one thread of its own with
 * a queue of {@link #AUTH_QUEUE}, so strangers guessing passwords never hold up a scrape whose credentials
 * are already verified (cached). A full queue answers 503.
 */
final class Routes {
    static final String HEALTHY = "/-/healthy";
    static final int WORKERS = 4;
    static final int QUEUE = 128;
    static final int AUTH_QUEUE = 32;

    private final Map<String, Endpoint> endpoints;
    private final ListenerMetrics metrics;
    private final WebState.Source web;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor auth;
    private ListenerLoop loop;

    Routes(Map<String, Endpoint> endpoints, ListenerMetrics metrics, WebState.Source web) {
        this.endpoints = endpoints;
        this.metrics = metrics;
        this.web = web;
        this.workers = pool(WORKERS, QUEUE, MetricsListener.THREAD_PREFIX + "-worker");
        this.auth = pool(1, AUTH_QUEUE, MetricsListener.THREAD_PREFIX + "-auth");
    }

    private static ThreadPoolExecutor pool(int threads, int queue, String name) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                r -> AgentThread.daemon(r, name + "-" + n.incrementAndGet()));
        pool.allowCoreThreadTimeOut(true); // no thread at all while nobody scrapes
        return pool;
    }

    void attach(ListenerLoop loop) {
        this.loop = loop;
    }

    void shutdown() {
        workers.shutdownNow();
        auth.shutdownNow();
    }

    void handle(Connection c, HttpRequest request, long now) {
        if (request.path.equals(HEALTHY)) {
            serve(c, request, now); // open without auth, whatever the web-config says
            return;
        }
        WebState state = web.current();
        if (state.invalid != null) {
            c.refuse(HttpResponse.text(500, "the listener's web-config is not valid; see the application's log\n"),
                    ListenerMetrics.WEB_CONFIG_INVALID, now);
            return;
        }
        RateLimit limit = state.config.rateLimit();
        if (limit != null && !limit.tryAcquire(now)) {
            c.refuse(HttpResponse.text(429, "Too Many Requests\n"), ListenerMetrics.RATE_LIMITED, now);
            return;
        }
        BasicAuth users = state.config.auth();
        if (users == null) {
            serve(c, request, now);
            return;
        }
        String authorization = request.header("Authorization");
        Boolean known = users.cached(authorization);
        if (known != null) {
            authorized(c, request, known, now);
            return;
        }
        try {
            auth.execute(() -> {
                boolean ok = users.verify(authorization);
                loop.later(() -> authorized(c, request, ok, loop.now()));
            });
        } catch (RejectedExecutionException full) {
            c.refuse(HttpResponse.text(503, "too many authentication attempts; try again\n").header("Retry-After", "1"),
                    ListenerMetrics.BUSY, now);
        }
    }

    private void authorized(Connection c, HttpRequest request, boolean ok, long now) {
        if (ok) {
            serve(c, request, now);
        } else {
            c.refuse(HttpResponse.text(401, "Unauthorized\n").header("WWW-Authenticate", "Basic"), ListenerMetrics.UNAUTHORIZED, now);
        }
    }

    private void serve(Connection c, HttpRequest request, long now) {
        Endpoint endpoint = endpoints.get(request.path);
        if (endpoint == null) {
            c.respond(HttpResponse.text(404, "not found; metrics are at /metrics\n"), now);
            return;
        }
        if (!java.util.Arrays.asList(endpoint.allow().split(", ")).contains(request.method)) {
            c.respond(HttpResponse.text(405, "method not allowed\n").header("Allow", endpoint.allow()), now);
            return;
        }
        if (!endpoint.blocking()) {
            c.respond(endpoint.handle(request), now);
            return;
        }
        try {
            workers.execute(() -> {
                HttpResponse response;
                try {
                    response = endpoint.handle(request);
                } catch (Throwable t) {
                    response = HttpResponse.text(500, "error\n");
                }
                loop.complete(c, response);
            });
        } catch (RejectedExecutionException full) {
            c.refuse(endpoint.busy(), ListenerMetrics.BUSY, now);
        }
    }
}

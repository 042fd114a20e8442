package dev.coderd.metrics.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.context.RequestContext;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.ApiMetrics;
import dev.coderd.metrics.metrics.Expositions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpRecorderTest {
    private final AgentRegistry registry = new AgentRegistry(2000);
    private final RequestContext context = new RequestContext();
    private final long[] now = {1_000_000_000L};
    private final HttpRecorder recorder = new HttpRecorder(new ApiMetrics(registry), List.of("/api/v2/files/*"), 2000,
            context, () -> now[0]);

    /** One request through the servlet sequence: outermost enter, a nested filter, exit, end. */
    private Object request(String method, String uri, String mapping, String upgrade, String springPattern, int status, Throwable thrown) {
        assertThat(recorder.enterDispatch()).isTrue();
        Object scope = recorder.startRequest(null, method, uri, mapping, upgrade);
        assertThat(recorder.enterDispatch()).isFalse(); // a nested filter or servlet
        if (springPattern != null) {
            recorder.routeTemplate(springPattern);
        }
        recorder.exitDispatch();
        recorder.exitDispatch();
        recorder.endDispatch(scope, status, thrown);
        return scope;
    }

    @Test
    void eachRequestCountsOnceUnderItsResolvedRoute() {
        request("GET", "/api/v2/users/alice", "/", null, "/api/v2/users/{user}", 200, null);
        request("GET", "/api/v2/users/bob", "/", null, "/api/v2/users/{user}", 200, null);
        request("GET", "/api/v2/users/nobody", "/", null, "/api/v2/users/{user}", 404, null);
        request("POST", "/api/v2/users", "/", null, "/api/v2/users", 200, new IllegalStateException("boom"));
        request("get", "/api/v2/files/a/b", "/", null, "/**", 200, null);  // Spring's catch-all is no route
        request("PROPFIND", "/dav/x", "/dav/*", null, null, 207, null);  // the servlet mapping
        request("GET", "/api/v2/nope", "/*", null, null, 404, null);
        request("GET", "/assets/app.js", "/", null, null, 200, null);

        assertThat(Expositions.text(registry.registry(), ApiMetrics.REQUESTS_PROCESSED, ApiMetrics.CONCURRENT_REQUESTS)).isEqualTo("""
                # HELP coderd_api_concurrent_requests The total number of concurrent API requests
                # TYPE coderd_api_concurrent_requests gauge
                coderd_api_concurrent_requests{method="GET",path="/api/v2/users/{user}"} 0.0
                coderd_api_concurrent_requests{method="GET",path="STATIC"} 0.0
                coderd_api_concurrent_requests{method="GET",path="UNKNOWN"} 0.0
                coderd_api_concurrent_requests{method="OTHER",path="/api/v2/files/*"} 0.0
                coderd_api_concurrent_requests{method="OTHER",path="/dav/*"} 0.0
                coderd_api_concurrent_requests{method="POST",path="/api/v2/users"} 0.0
                # HELP coderd_api_requests_processed_total The total number of processed API requests
                # TYPE coderd_api_requests_processed_total counter
                coderd_api_requests_processed_total{code="200",method="GET",path="/api/v2/users/{user}"} 2.0
                coderd_api_requests_processed_total{code="200",method="GET",path="STATIC"} 1.0
                coderd_api_requests_processed_total{code="200",method="OTHER",path="/api/v2/files/*"} 1.0
                coderd_api_requests_processed_total{code="207",method="OTHER",path="/dav/*"} 1.0
                coderd_api_requests_processed_total{code="404",method="GET",path="/api/v2/users/{user}"} 1.0
                coderd_api_requests_processed_total{code="404",method="GET",path="UNKNOWN"} 1.0
                coderd_api_requests_processed_total{code="500",method="POST",path="/api/v2/users"} 1.0
                """);
    }

    @Test
    void theConcurrentGaugeFollowsTheRouteOnceTheFrameworkNamesItAndLeavesNoPhantomSeries() {
        assertThat(context.route()).isEqualTo("");
        assertThat(recorder.enterDispatch()).isTrue();
        Object scope = recorder.startRequest(null, "POST", "/api/v2/workspaces/dev", "/", null);
        assertThat(gauge("UNKNOWN")).isEqualTo("1.0");
        assertThat(context.route()).isEqualTo("UNKNOWN");
        recorder.routeTemplate("/api/v2/workspaces/{workspace}");
        assertThat(gauge("UNKNOWN")).isEqualTo("absent"); // provisional: no {path="UNKNOWN"} 0.0 left behind
        assertThat(gauge("/api/v2/workspaces/{workspace}")).isEqualTo("1.0");
        assertThat(context.route()).isEqualTo("/api/v2/workspaces/{workspace}");
        recorder.routeTemplate("/api/v2/users/{user}"); // a forward's target: the first framework route stays
        assertThat(context.route()).isEqualTo("/api/v2/workspaces/{workspace}");
        recorder.exitDispatch();
        assertThat(context.route()).isEqualTo("");
        recorder.endDispatch(scope, 200, null);
        assertThat(gauge("/api/v2/workspaces/{workspace}")).isEqualTo("0.0");
        assertThat(gauge("UNKNOWN")).isEqualTo("absent");
    }

    @Test
    void aFrameworksOwnRootPatternIsARouteTheDefaultServletsIsNot() {
        request("GET", "/", "/", null, "/", 200, null);            // Spring's @GetMapping("/")
        request("GET", "/index.html", "/", null, null, 200, null); // the default servlet
        assertThat(Expositions.text(registry.registry(), ApiMetrics.REQUESTS_PROCESSED)).isEqualTo("""
                # HELP coderd_api_requests_processed_total The total number of processed API requests
                # TYPE coderd_api_requests_processed_total counter
                coderd_api_requests_processed_total{code="200",method="GET",path="/"} 1.0
                coderd_api_requests_processed_total{code="200",method="GET",path="STATIC"} 1.0
                """);
        assertThat(gauge("/")).isEqualTo("0.0");
        assertThat(gauge("STATIC")).isEqualTo("0.0");
    }

    @Test
    void aLaterDispatchOfTheSameRequestDoesNotCountAgain() {
        Object scope = request("GET", "/api/v2/debug/panic", "/", null, "/api/v2/debug/panic", 200, new RuntimeException());
        // the container's error page dispatch finds the scope on the request
        assertThat(recorder.enterDispatch()).isTrue();
        assertThat(recorder.startRequest(scope, "GET", "/error", "/", null)).isSameAs(scope);
        recorder.routeTemplate("/error");
        recorder.exitDispatch();
        recorder.endDispatch(scope, 500, null);

        assertThat(Expositions.text(registry.registry(), ApiMetrics.REQUESTS_PROCESSED)).isEqualTo("""
                # HELP coderd_api_requests_processed_total The total number of processed API requests
                # TYPE coderd_api_requests_processed_total counter
                coderd_api_requests_processed_total{code="500",method="GET",path="/api/v2/debug/panic"} 1.0
                """);
    }

    @Test
    void anAcceptedWebsocketUpgradeCountsAs101WithoutLatencyOrConcurrency() {
        List<String> upgrades = new ArrayList<>();
        recorder.onWebsocketUpgrade(new WebsocketUpgrades() {
            @Override
            public void attempted(String rawPath) {
                upgrades.add("attempted " + rawPath);
            }

            @Override
            public void accepted(String path, long startNanos) {
                upgrades.add("accepted " + path);
            }
        });
        request("GET", "/api/v2/workspaceagents/me/rpc", "/", "websocket", "/api/v2/workspaceagents/me/rpc", 101, null);
        request("GET", "/api/v2/workspaceagents/you/rpc", "/", "WebSocket", null, 403, null); // rejected: an attempt only
        request("GET", "/api/v2/users/me", "/", null, "/api/v2/users/{user}", 200, null);         // no upgrade: neither

        assertThat(upgrades).containsExactly("attempted /api/v2/workspaceagents/me/rpc",
                "accepted /api/v2/workspaceagents/me/rpc", "attempted /api/v2/workspaceagents/you/rpc");
        assertThat(Expositions.text(registry.registry(), ApiMetrics.REQUESTS_PROCESSED)).isEqualTo("""
                # HELP coderd_api_requests_processed_total The total number of processed API requests
                # TYPE coderd_api_requests_processed_total counter
                coderd_api_requests_processed_total{code="101",method="GET",path="/api/v2/workspaceagents/me/rpc"} 1.0
                coderd_api_requests_processed_total{code="200",method="GET",path="/api/v2/users/{user}"} 1.0
                coderd_api_requests_processed_total{code="403",method="GET",path="UNKNOWN"} 1.0
                """);
        // the accepted upgrade is neither in the latency histogram nor in the concurrent gauge
        assertThat(Expositions.text(registry.registry(), ApiMetrics.REQUEST_LATENCIES, ApiMetrics.CONCURRENT_REQUESTS))
                .doesNotContain("rpc").contains("path=\"/api/v2/users/{user}\"");
    }

    @Test
    void latencyIsObservedInMillisecondsInTheContractsBuckets() {
        assertThat(recorder.enterDispatch()).isTrue();
        Object scope = recorder.startRequest(null, "GET", "/api/v2/debug/slow", "/api/v2/debug/slow", null);
        now[0] += 30_000_000L; // 30 ms
        recorder.exitDispatch();
        recorder.endDispatch(scope, 200, null);

        String text = Expositions.text(registry.registry(), ApiMetrics.REQUEST_LATENCIES);
        assertThat(text).contains("coderd_api_request_latencies_ms_bucket{method=\"GET\",path=\"/api/v2/debug/slow\",le=\"25.0\"} 0\n");
        assertThat(text).contains("coderd_api_request_latencies_ms_bucket{method=\"GET\",path=\"/api/v2/debug/slow\",le=\"50.0\"} 1\n");
        assertThat(text).contains("coderd_api_request_latencies_ms_sum{method=\"GET\",path=\"/api/v2/debug/slow\"} 30.0\n");
        assertThat(text).contains("coderd_api_request_latencies_ms_bucket{method=\"GET\",path=\"/api/v2/debug/slow\",le=\"1000.0\"} 1\n");
        assertThat(text).contains("coderd_api_request_latencies_ms_count{method=\"GET\",path=\"/api/v2/debug/slow\"} 1\n");
        assertThat(text.lines().filter(l -> l.contains("_bucket")).map(l -> l.replaceAll(".*le=\"([^\"]+)\".*", "$1")).toList())
                .containsExactly("1.0", "5.0", "10.0", "25.0", "50.0", "100.0", "500.0", "1000.0", "5000.0", "10000.0", "30000.0", "+Inf");
    }

    private String gauge(String path) {
        return Expositions.text(registry.registry(), ApiMetrics.CONCURRENT_REQUESTS).lines()
                .filter(l -> l.contains("path=\"" + path + "\""))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).findFirst().orElse("absent");
    }
}

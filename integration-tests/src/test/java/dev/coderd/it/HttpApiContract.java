package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code coderd_api_*} contract, asserted with exact values against one real server per subclass, forked
 * with the agent on JDK 17 and JDK 25. Each test measures the change its own requests made (a delta between
 * two scrapes), so the tests share one server and stay exact.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.coderd.it.support.Jdk#all")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HttpApiContract {
    static final String PROCESSED = "coderd_api_requests_processed_total";
    static final String LATENCY = "coderd_api_request_latencies_ms";
    static final String CONCURRENT = "coderd_api_concurrent_requests";

    /** A catalogue entry as one server serves it: the path to call, the route label and code to expect. */
    record Call(String path, String route, int code) {}

    enum Endpoint { USER, ERROR_STATUS, EXCEPTION, SLOW_30MS, SLOW_1500MS, REDIRECT, FORWARD, ASYNC_200MS }

    @Parameter
    Jdk jdk;
    ForkedJvm app;
    int appPort;
    int metricsPort;

    /** Adds what to run to the builder (the agent is already on it) and starts it on {@code appPort}. */
    abstract ForkedJvm launch(ForkedJvm.Builder builder, int appPort);

    /** How this server serves an entry of the catalogue. */
    abstract Call call(Endpoint endpoint);

    /** The catalogue as the fixtures serve it ({@code fixtures.ServletCatalogue}, {@code fixtures.JdkServerFixture}). */
    static Call fixtureCall(Endpoint endpoint, String usersRoute) {
        switch (endpoint) {
            case USER: return new Call("/api/v2/users/{user}", usersRoute, 200);
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

    /** Configured route templates for servers without their own. */
    String routes() {
        return "";
    }

    /** The users route as a configured template, for fixtures whose servers name no routes themselves. */
    static final String USERS_TEMPLATE = "/api/v2/users/{user}";

    /** Starts a fixture main ({@code fixtures.*}) on {@code appPort} and waits for its readiness line. */
    static ForkedJvm startFixture(ForkedJvm.Builder builder, Class<?> fixture, int appPort) {
        return builder.main(fixture, Integer.toString(appPort)).start("fixture ready on port (\\d+)");
    }

    @BeforeParameterizedClassInvocation
    void start() {
        appPort = Ports.free();
        metricsPort = Ports.free();
        String args = "port=" + metricsPort + (routes().isEmpty() ? "" : ",http.routes=" + routes());
        app = launch(ForkedJvm.on(jdk).agent(args), appPort);
    }

    @AfterParameterizedClassInvocation
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + appPort + path;
    }

    /**
     * A scrape once no request is in flight and the processed count has stopped moving. A client can read a
     * response before the server has returned from the handler (a redirect or an async completion flushes
     * first), so the count lands a moment later; two scrapes 50 ms apart that agree on nothing in flight and on
     * the processed total are taken as settled.
     */
    Exposition settled() {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        Exposition last = null;
        while (true) {
            Exposition m = Http.scrape(metricsPort);
            double inFlight = m.samples(CONCURRENT).stream().mapToDouble(Exposition.Sample::value).sum();
            if ((inFlight == 0 && last != null && processed(last) == processed(m)) || System.nanoTime() > deadline) {
                return m;
            }
            last = inFlight == 0 ? m : null;
            try {
                Thread.sleep(inFlight == 0 ? 50 : 20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return m;
            }
        }
    }

    private static double processed(Exposition m) {
        return m.samples(PROCESSED).stream().mapToDouble(Exposition.Sample::value).sum();
    }

    /** The concurrent gauge of {@code route} once it reaches 3, or what it showed after 1.2 s. */
    double whileInFlight(String route) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofMillis(1200).toNanos();
        Double value = Http.scrape(metricsPort).value(CONCURRENT, "method", "GET", "path", route);
        while ((value == null || value < 3.0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            value = Http.scrape(metricsPort).value(CONCURRENT, "method", "GET", "path", route);
        }
        return value == null ? 0 : value;
    }

    /** Calls {@code endpoint} {@code times} times and returns the growth of its processed counter. */
    double countsOf(Endpoint endpoint, int times) {
        Call call = call(endpoint);
        Exposition before = Http.scrape(metricsPort);
        for (int i = 0; i < times; i++) {
            request(call.path());
        }
        return settled().delta(before, PROCESSED, "code", Integer.toString(call.code()), "method", "GET", "path", call.route());
    }

    /** One GET, never retried; -1 when the server closed the connection (the JDK server does when a handler throws). */
    int request(String path) {
        return Http.rawStatus(appPort, path);
    }

    @Test
    void successCountsOncePerRequestUnderTheRouteTemplate() {
        Call user = call(Endpoint.USER);
        Exposition before = Http.scrape(metricsPort);
        for (String name : List.of("alice", "alice", "bob", "me", "admin")) {
            assertThat(request(user.path().replace("{user}", name))).isEqualTo(200);
        }
        Exposition after = settled();
        assertThat(after.delta(before, PROCESSED, "code", "200", "method", "GET", "path", user.route())).isEqualTo(5.0);
        assertThat(after.delta(before, LATENCY + "_count", "method", "GET", "path", user.route())).isEqualTo(5.0);
        assertThat(after.value(CONCURRENT, "method", "GET", "path", user.route())).isEqualTo(0.0);
    }

    @Test
    void theFamiliesCarryTheContractsHelpAndType() {
        request(call(Endpoint.USER).path().replace("{user}", "alice"));
        Exposition m = settled();
        assertThat(m.help(PROCESSED)).isEqualTo("The total number of processed API requests");
        assertThat(m.type(PROCESSED)).isEqualTo("counter");
        assertThat(m.help(LATENCY)).isEqualTo("Latency distribution of requests in milliseconds");
        assertThat(m.type(LATENCY)).isEqualTo("histogram");
        assertThat(m.help(CONCURRENT)).isEqualTo("The total number of concurrent API requests");
        assertThat(m.type(CONCURRENT)).isEqualTo("gauge");
        assertThat(m.samples(LATENCY + "_bucket").stream().filter(s -> s.labels().get("path").equals(call(Endpoint.USER).route()))
                .map(s -> s.labels().get("le")).toList())
                .containsExactly("1.0", "5.0", "10.0", "25.0", "50.0", "100.0", "500.0", "1000.0", "5000.0", "10000.0", "30000.0", "+Inf");
    }

    @Test
    void anErrorStatusCountsWithItsCode() {
        assertThat(countsOf(Endpoint.ERROR_STATUS, 2)).isEqualTo(2.0);
    }

    @Test
    void anExceptionCountsAs500Once() {
        assertThat(countsOf(Endpoint.EXCEPTION, 3)).isEqualTo(3.0);
    }

    @Test
    void aRedirectCountsWithItsCode() {
        assertThat(countsOf(Endpoint.REDIRECT, 1)).isEqualTo(1.0);
    }

    @Test
    void unknownPathsAreUnknownUnderApiAndStaticElsewhere() {
        Exposition before = Http.scrape(metricsPort);
        assertThat(request("/api/v2/no-such-route")).isEqualTo(404);
        assertThat(request("/assets/no-such-file.css")).isEqualTo(404);
        Exposition after = settled();
        assertThat(after.delta(before, PROCESSED, "code", "404", "method", "GET", "path", "UNKNOWN")).isEqualTo(1.0);
        assertThat(after.delta(before, PROCESSED, "code", "404", "method", "GET", "path", "STATIC")).isEqualTo(1.0);
    }

    @Test
    void a30msRequestLandsInTheLe50BucketAndNotInLe25() {
        Call slow = call(Endpoint.SLOW_30MS);
        request(slow.path().replace("ms=30", "ms=1")); // the route's first request also loads the server's classes
        String bucket = LATENCY + "_bucket";
        // A 30 ms sleep can never land at or below 25 ms; on a busy machine it can overrun 50 ms, so up to three tries.
        double inLe50 = 0;
        for (int attempt = 0; attempt < 3 && inLe50 == 0; attempt++) {
            Exposition before = settled(); // the warm-up request may still be ending after the client got its answer
            assertThat(request(slow.path())).isEqualTo(200);
            Exposition after = settled();
            assertThat(after.delta(before, bucket, "method", "GET", "path", slow.route(), "le", "25.0")).isEqualTo(0.0);
            assertThat(after.delta(before, LATENCY + "_count", "method", "GET", "path", slow.route())).isEqualTo(1.0);
            inLe50 = after.delta(before, bucket, "method", "GET", "path", slow.route(), "le", "50.0");
        }
        assertThat(inLe50).isEqualTo(1.0);
    }

    @Test
    void concurrentRequestsAreCountedWhileInFlight() throws Exception {
        Call slow = call(Endpoint.SLOW_1500MS);
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            inFlight.add(Http.getAsync(url(slow.path())));
        }
        assertThat(whileInFlight(slow.route())).isEqualTo(3.0);
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
            assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(Http.scrape(metricsPort).value(CONCURRENT, "method", "GET", "path", slow.route())).isEqualTo(0.0);
    }

    @Test
    void scrapesOfTheAgentsListenerAreNeverMeasured() {
        Exposition before = Http.scrape(metricsPort);
        for (int i = 0; i < 5; i++) {
            Http.scrape(metricsPort);
        }
        Exposition after = settled();
        double total = 0;
        for (Exposition.Sample s : after.samples(PROCESSED)) {
            total += after.delta(before, PROCESSED, flatten(s));
        }
        assertThat(total).isEqualTo(0.0);
        assertThat(after.text()).doesNotContain("path=\"/metrics\"");
    }

    @Test
    void tenThousandRandomPathsAddNoSeriesBeyondUnknownAndStatic() throws Exception {
        assertThat(request("/api/v2/first-unknown")).isEqualTo(404);
        assertThat(request("/first-static.js")).isEqualTo(404);
        Exposition before = settled();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String random = UUID.randomUUID().toString();
            String path = i % 2 == 0 ? "/api/v2/" + random + "/" + random.substring(0, 8) : "/" + random + ".js";
            calls.add(CompletableFuture.supplyAsync(() -> request(path), pool));
        }
        for (CompletableFuture<Integer> c : calls) {
            assertThat(c.get(60, TimeUnit.SECONDS)).isEqualTo(404);
        }
        pool.shutdown();
        Exposition after = settled();
        assertThat(after.delta(before, PROCESSED, "code", "404", "method", "GET", "path", "UNKNOWN")).isEqualTo(5000.0);
        assertThat(after.delta(before, PROCESSED, "code", "404", "method", "GET", "path", "STATIC")).isEqualTo(5000.0);
        for (String family : List.of(PROCESSED, LATENCY + "_count", CONCURRENT)) {
            assertThat(after.samples(family)).as(family).hasSameSizeAs(before.samples(family));
        }
    }

    private static String[] flatten(Exposition.Sample s) {
        List<String> pairs = new ArrayList<>();
        s.labels().forEach((k, v) -> {
            pairs.add(k);
            pairs.add(v);
        });
        return pairs.toArray(new String[0]);
    }
}

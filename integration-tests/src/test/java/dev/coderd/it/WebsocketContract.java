package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import dev.coderd.it.support.RawWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Websocket sessions and workspace-agent connections ({@code coderd_api_*websocket*}, the upgrade's {@code 101},
 * {@code coderd_rtc_*}), asserted with exact values against one real server per subclass serving Coder's wsnet
 * routes, forked with the agent on JDK 17 and JDK 25. Sessions are opened by a raw-socket client that can also
 * vanish without a close frame; each one waits for the server's greeting, so its {@code onOpen} has run.
 * Tests share the server: counters are compared as deltas, and every test closes all it opened, so gauges are
 * exact absolute values.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.coderd.it.support.Jdk#all")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebsocketContract {
    static final String LISTEN = "/api/private/envagent/{workspace}/listen";
    static final String CONNECT = "/api/private/envagent/{workspace}/connect";
    static final String TURN = "/api/private/turn";
    static final List<String> ROUTES = List.of(LISTEN, CONNECT, TURN);
    static final String PROCESSED = "coderd_api_requests_processed_total";
    static final String CONCURRENT = "coderd_api_concurrent_websockets";
    static final String DURATIONS = "coderd_api_websocket_durations_ms";
    static final String AGENT_LISTENERS = "coderd_rtc_agent_listeners_concurrent";
    static final String CLIENT_CONNECTIONS = "coderd_rtc_client_connections_total";
    static final String TURN_CONCURRENT = "coderd_rtc_turn_connections_concurrent";
    static final String TURN_TOTAL = "coderd_rtc_turn_connections_total";
    static final String WORKSPACE_CURRENT = "coderd_rtc_workspace_connections_current";
    static final String WORKSPACE_TOTAL = "coderd_rtc_workspace_connections_total";
    /** The agent's per-session scope: it lives in the session's user properties, nowhere else. */
    static final String SCOPE_CLASS = "dev.coderd.metrics.ws.WebsocketSession";
    /** The agent's per-route cache entry: one per websocket route, bounded by the series limit. */
    static final String ROUTE_CLASS = "dev.coderd.metrics.ws.SessionRoute";

    @Parameter
    Jdk jdk;
    ForkedJvm app;
    int appPort;
    int metricsPort;

    /** Adds what to run to the builder (agent and JVM options already on it) and starts it on {@code appPort}. */
    abstract ForkedJvm launch(ForkedJvm.Builder builder, int appPort);

    /** The container's own session class, whose live instances the heap check reports beside the agent's. */
    abstract String containerSessionClass();

    /**
     * The container's answer to a handshake whose origin the endpoint's configurator refuses: 403, but Undertow
     * answers 404 (its filter passes the refused upgrade on to the servlets), with or without the agent.
     */
    int refusedHandshakeStatus() {
        return 403;
    }

    static ForkedJvm startFixture(ForkedJvm.Builder builder, Class<?> fixture, int appPort) {
        return builder.main(fixture, Integer.toString(appPort)).start("fixture ready on port (\\d+)");
    }

    @BeforeParameterizedClassInvocation
    void start() {
        appPort = Ports.free();
        metricsPort = Ports.free();
        // Tomcat checks idle timeouts every 10 s by default; every second keeps the idle test short (Jetty ignores it)
        app = launch(ForkedJvm.on(jdk).agent("port=" + metricsPort)
                .jvmArg("-Dorg.apache.tomcat.websocket.DEFAULT_PROCESS_PERIOD=1"), appPort);
        // one session per route first, so that every gauge series exists whichever test runs first
        for (String route : List.of(LISTEN, CONNECT, TURN)) {
            open(path(route, "warm-up")).close();
        }
    }

    @AfterParameterizedClassInvocation
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** {@code route} with its variable filled in. */
    static String path(String route, String workspace) {
        return route.replace("{workspace}", workspace);
    }

    /** An accepted session whose server-side {@code onOpen} has run (its greeting arrived). */
    RawWebSocket open(String path) {
        RawWebSocket ws = RawWebSocket.connect(appPort, path);
        assertThat(ws.status()).as("upgrade of " + path).isEqualTo(101);
        assertThat(ws.readText()).as("greeting of " + path).matches("(listening|connected) \\S+|relay");
        return ws;
    }

    static double value(Exposition m, String family, String... labels) {
        Double v = m.value(family, labels);
        return v == null ? 0 : v;
    }

    /**
     * A scrape once {@code coderd_api_concurrent_websockets} shows {@code listen}, {@code connect} and {@code turn}
     * sessions, or the last one after 30 s. A server ends a session a moment after the client saw it close.
     */
    Exposition awaitSessions(double listen, double connect, double turn) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Exposition m = Http.scrape(metricsPort);
            // every gauge, the RTC ones too: a session closing during a scrape can be read in one family and
            // not yet in another (a scrape reads the families one after the other)
            if ((value(m, CONCURRENT, "path", LISTEN) == listen && value(m, CONCURRENT, "path", CONNECT) == connect
                    && value(m, CONCURRENT, "path", TURN) == turn && value(m, AGENT_LISTENERS) == listen
                    && value(m, WORKSPACE_CURRENT) == connect && value(m, TURN_CONCURRENT) == turn)
                    || System.nanoTime() > deadline) {
                return m;
            }
            Thread.sleep(50);
        }
    }

    /** Every websocket gauge of the contract, exactly. */
    static void assertGauges(Exposition m, double listen, double connect, double turn) {
        assertThat(m.value(CONCURRENT, "path", LISTEN)).as(LISTEN).isEqualTo(listen);
        assertThat(m.value(CONCURRENT, "path", CONNECT)).as(CONNECT).isEqualTo(connect);
        assertThat(m.value(CONCURRENT, "path", TURN)).as(TURN).isEqualTo(turn);
        assertThat(m.value(AGENT_LISTENERS)).as(AGENT_LISTENERS).isEqualTo(listen);
        assertThat(m.value(WORKSPACE_CURRENT)).as(WORKSPACE_CURRENT).isEqualTo(connect);
        assertThat(m.value(TURN_CONCURRENT)).as(TURN_CONCURRENT).isEqualTo(turn);
    }

    @Test
    void theUpgradeCounts101UnderTheEndpointTemplateOnEveryRoute() throws InterruptedException {
        Exposition before = awaitSessions(0, 0, 0);
        for (String route : ROUTES) {
            open(path(route, "dev")).close();
        }
        Exposition after = awaitSessions(0, 0, 0);
        for (String route : ROUTES) {
            assertThat(after.delta(before, PROCESSED, "code", "101", "method", "GET", "path", route)).as(route).isEqualTo(1.0);
            // an accepted upgrade is no request in flight and has no latency (a refused one elsewhere does)
            assertThat(after.delta(before, "coderd_api_request_latencies_ms_count", "method", "GET", "path", route))
                    .as(route).isEqualTo(0.0);
            assertThat(value(after, "coderd_api_concurrent_requests", "method", "GET", "path", route)).as(route).isEqualTo(0.0);
        }
        assertThat(after.text()).as("no concrete path is a label").doesNotContain("/dev/");
    }

    @Test
    void theGaugesCountOpenSessionsByRouteAndRoleAndReturnToZero() throws InterruptedException {
        Exposition before = awaitSessions(0, 0, 0);
        List<RawWebSocket> sessions = new ArrayList<>();
        for (String workspace : List.of("dev", "ci", "docs")) {
            sessions.add(open(path(LISTEN, workspace)));
        }
        sessions.add(open(path(CONNECT, "dev")));
        sessions.add(open(path(CONNECT, "ci")));
        sessions.add(open(TURN));

        Exposition open = awaitSessions(3, 2, 1);
        assertGauges(open, 3, 2, 1);
        assertThat(open.delta(before, WORKSPACE_TOTAL)).isEqualTo(2.0);
        assertThat(open.delta(before, CLIENT_CONNECTIONS)).isEqualTo(2.0);
        assertThat(open.delta(before, TURN_TOTAL)).isEqualTo(1.0);
        assertThat(open.delta(before, DURATIONS + "_count", "path", LISTEN)).isEqualTo(0.0);

        sessions.forEach(RawWebSocket::close);
        Exposition closed = awaitSessions(0, 0, 0);
        assertGauges(closed, 0, 0, 0);
        assertThat(closed.delta(before, DURATIONS + "_count", "path", LISTEN)).isEqualTo(3.0);
        assertThat(closed.delta(before, DURATIONS + "_count", "path", CONNECT)).isEqualTo(2.0);
        assertThat(closed.delta(before, DURATIONS + "_count", "path", TURN)).isEqualTo(1.0);
        assertThat(closed.help(CONCURRENT)).isEqualTo("The total number of concurrent API websockets");
        assertThat(closed.type(CONCURRENT)).isEqualTo("gauge");
        assertThat(closed.help(DURATIONS)).isEqualTo("Websocket duration distribution of requests in milliseconds");
        assertThat(closed.type(DURATIONS)).isEqualTo("histogram");
        assertThat(closed.help(AGENT_LISTENERS)).isEqualTo("The total number of concurrent RTC agent listener websockets.");
        assertThat(closed.help(CLIENT_CONNECTIONS)).isEqualTo("The total number of RTC client connections.");
        assertThat(closed.help(TURN_CONCURRENT)).isEqualTo("The number of concurrent TURN connections.");
        assertThat(closed.help(TURN_TOTAL)).isEqualTo("The total number of TURN connections opened.");
        assertThat(closed.help(WORKSPACE_CURRENT)).isEqualTo("The number of concurrent wsnet workspace connections.");
        assertThat(closed.help(WORKSPACE_TOTAL)).isEqualTo("The total number of wsnet workspace connections opened.");
    }

    @Test
    void aSessionHeldOneAndAHalfSecondsLandsInLe60000AndNotInLe1000() throws InterruptedException {
        Exposition before = awaitSessions(0, 0, 0);
        RawWebSocket relay = open(TURN);
        Thread.sleep(1500);
        relay.close();
        Exposition after = awaitSessions(0, 0, 0);
        String bucket = DURATIONS + "_bucket";
        assertThat(after.delta(before, bucket, "path", TURN, "le", "1000.0")).isEqualTo(0.0);
        assertThat(after.delta(before, bucket, "path", TURN, "le", "60000.0")).isEqualTo(1.0);
        assertThat(after.delta(before, DURATIONS + "_count", "path", TURN)).isEqualTo(1.0);
        assertThat(after.samples(bucket).stream().filter(s -> s.labels().get("path").equals(TURN))
                .map(s -> s.labels().get("le")).toList())
                .containsExactly("1.0", "1000.0", "60000.0", "3600000.0", "5.4E7", "1.08E8", "+Inf");
    }

    @Test
    void aClientThatVanishesWithoutACloseFrameEndsItsSessionOnce() throws InterruptedException {
        Exposition before = awaitSessions(0, 0, 0);
        RawWebSocket first = open(path(CONNECT, "dev"));
        RawWebSocket second = open(path(LISTEN, "dev"));
        assertGauges(awaitSessions(1, 1, 0), 1, 1, 0);
        first.kill();
        second.kill();
        Exposition after = awaitSessions(0, 0, 0);
        assertGauges(after, 0, 0, 0);
        Thread.sleep(1000); // whatever else the server does about the dead connections, nothing ends twice
        Exposition later = Http.scrape(metricsPort);
        assertGauges(later, 0, 0, 0);
        assertThat(later.delta(before, DURATIONS + "_count", "path", CONNECT)).isEqualTo(1.0);
        assertThat(later.delta(before, DURATIONS + "_count", "path", LISTEN)).isEqualTo(1.0);
    }

    @Test
    void aServerSideIdleTimeoutEndsTheSessionOnce() throws InterruptedException {
        Exposition before = awaitSessions(0, 0, 0);
        RawWebSocket idle = open(path(LISTEN, "idle") + "?idle-ms=500");
        int code = idle.awaitServerClose(Duration.ofSeconds(20));
        assertThat(code).as("the server's close code (or -1 without a close frame)").isIn(1000, 1001, 1006, -1);
        Exposition after = awaitSessions(0, 0, 0);
        assertGauges(after, 0, 0, 0);
        assertThat(after.delta(before, DURATIONS + "_count", "path", LISTEN)).isEqualTo(1.0);
        assertThat(after.delta(before, DURATIONS + "_bucket", "path", LISTEN, "le", "1.0")).isEqualTo(0.0);
    }

    @Test
    void everyClientConnectAttemptCountsEvenOneTheServerRejects() throws InterruptedException {
        Exposition before = awaitSessions(0, 0, 0);
        RawWebSocket refused = RawWebSocket.connect(appPort, path(CONNECT, "dev"), "Origin", "https://evil.example");
        assertThat(refused.status()).isEqualTo(refusedHandshakeStatus());
        open(path(CONNECT, "dev")).close();
        open(path(LISTEN, "dev")).close(); // not a client connect
        Exposition after = awaitSessions(0, 0, 0);
        assertThat(after.delta(before, CLIENT_CONNECTIONS)).isEqualTo(2.0);
        assertThat(after.delta(before, WORKSPACE_TOTAL)).isEqualTo(1.0);
        assertThat(after.delta(before, PROCESSED, "code", "101", "method", "GET", "path", CONNECT)).isEqualTo(1.0);
        double refusals = 0;
        for (Exposition.Sample s : after.samples(PROCESSED)) {
            String refusal = Integer.toString(refusedHandshakeStatus());
            if (s.labels().get("code").equals(refusal)) {
                refusals += after.delta(before, PROCESSED, "code", refusal, "method", "GET", "path", s.labels().get("path"));
            }
        }
        assertThat(refusals).isEqualTo(1.0);
    }

    /**
     * The "done when": 1,000 sessions opened and closed, a quarter of them by the client vanishing,
     * leave every gauge at exactly 0, every session counted once, and nothing of the agent's behind: after a
     * full GC (the heap histogram forces one) no session scope is alive, and the agent holds one cache entry
     * per route.
     */
    @Test
    void aThousandSessionsAQuarterAbnormalLeaveEveryGaugeAtZeroAndNoAgentStateBehind() throws Exception {
        Exposition before = awaitSessions(0, 0, 0);
        Map<String, Integer> perRoute = new LinkedHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String route = ROUTES.get(i % 3);
            perRoute.merge(route, 1, Integer::sum);
            boolean abnormal = i % 4 == 0;
            String path = path(route, "w" + (i % 50));
            done.add(clients.submit(() -> {
                RawWebSocket ws = open(path);
                if (abnormal) {
                    ws.kill();
                } else {
                    ws.close();
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();
        Exposition after = awaitSessions(0, 0, 0);

        assertGauges(after, 0, 0, 0);
        double sessions = 0;
        for (String route : ROUTES) {
            assertThat(after.delta(before, DURATIONS + "_count", "path", route)).as(route).isEqualTo((double) perRoute.get(route));
            assertThat(after.delta(before, PROCESSED, "code", "101", "method", "GET", "path", route)).as(route)
                    .isEqualTo((double) perRoute.get(route));
            sessions += after.delta(before, DURATIONS + "_count", "path", route);
        }
        assertThat(sessions).isEqualTo(1000.0);
        assertThat(after.delta(before, WORKSPACE_TOTAL)).isEqualTo((double) perRoute.get(CONNECT));
        assertThat(after.delta(before, CLIENT_CONNECTIONS)).isEqualTo((double) perRoute.get(CONNECT));
        assertThat(after.delta(before, TURN_TOTAL)).isEqualTo((double) perRoute.get(TURN));

        Map<String, Long> heap = liveInstances(SCOPE_CLASS, ROUTE_CLASS, containerSessionClass());
        System.out.println("[websocket contract] " + getClass().getSimpleName() + " on " + jdk
                + ": live instances after 1,000 sessions and a full GC: " + heap);
        assertThat(heap.get(SCOPE_CLASS)).as("agent session scopes alive").isEqualTo(0L);
        assertThat(heap.get(ROUTE_CLASS)).as("the agent's cached routes").isEqualTo(3L);
        // the container's own count is reported, not asserted: Jetty keeps a reference to its last closed session
    }

    /** Live instances per class, from {@code jcmd <pid> GC.class_histogram} (which runs a full GC first). */
    Map<String, Long> liveInstances(String... classNames) throws InterruptedException {
        ForkedJvm jcmd = ForkedJvm.on(jdk).tool("jcmd", Long.toString(app.pid()), "GC.class_histogram");
        assertThat(jcmd.waitFor(Duration.ofSeconds(60))).as(jcmd.outputText()).isEqualTo(0);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String name : classNames) {
            counts.put(name, 0L);
            for (String line : jcmd.output()) {
                // "  42:        1000        24000  dev.coderd.metrics.ws.WebsocketSession (module info)"
                String[] columns = line.trim().split("\\s+");
                if (columns.length >= 4 && columns[3].equals(name)) {
                    counts.put(name, Long.parseLong(columns[1]));
                }
            }
        }
        return counts;
    }
}

package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.fixtures.HelloFixture;
import dev.coderd.it.fixtures.JdkServerFixture;
import dev.coderd.it.fixtures.OwnLibrariesFixture;
import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent as an operator meets it: attached by {@code -javaagent} or {@code JAVA_TOOL_OPTIONS}, serving
 * its listener, and never harming the host (busy port, JDK tools, twice-given agent, bad configuration, an
 * application with its own Byte Buddy and Prometheus client, the host's own {@code sun.net.httpserver.*}
 * and {@code java.util.logging} settings). Each test forks its own JVMs, on JDK 17 and JDK 25.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.coderd.it.support.Jdk#all")
class FoundationIT {
    static final String READY = "fixture ready on port (\\d+)";
    static final String USERS = "/api/v2/users/";
    static final String PROCESSED = "coderd_api_requests_processed_total";
    static final String PROMHTTP = "promhttp_metric_handler_requests_total";
    static final String AGENT_LINE = "[coderd-metrics-agent]";

    @Parameter
    Jdk jdk;

    /** The JDK server fixture with the agent at {@code metricsPort}; its own port is free. */
    ForkedJvm fixture(int metricsPort, String... extraAgentArgs) {
        String args = "port=" + metricsPort + (extraAgentArgs.length == 0 ? "" : "," + String.join(",", extraAgentArgs));
        return ForkedJvm.on(jdk).agent(args).main(JdkServerFixture.class, Integer.toString(Ports.free())).start(READY);
    }

    static int appPort(ForkedJvm jvm) {
        return Integer.parseInt(jvm.await(READY, Duration.ofSeconds(5)));
    }

    static double usersProcessed(Exposition m) {
        Double v = m.value(PROCESSED, "code", "200", "method", "GET", "path", USERS);
        return v == null ? 0 : v;
    }

    @Test
    void theListenerServesSelfMetricsRuntimeAndProcessFamiliesAsTheContractSays() {
        int metricsPort = Ports.free();
        try (ForkedJvm app = fixture(metricsPort)) {
            Exposition first = Http.scrape(metricsPort);
            assertThat(first.value(PROMHTTP, "code", "200")).isEqualTo(0.0);
            assertThat(first.value(PROMHTTP, "code", "500")).isEqualTo(0.0);
            assertThat(first.value(PROMHTTP, "code", "503")).isEqualTo(0.0);
            assertThat(first.value("promhttp_metric_handler_requests_in_flight")).isEqualTo(1.0);
            assertThat(first.help(PROMHTTP)).isEqualTo("Total number of scrapes by HTTP status code.");
            assertThat(first.help("promhttp_metric_handler_requests_in_flight")).isEqualTo("Current number of scrapes being served.");
            assertThat(first.value("coderd_metrics_agent_info", "version", System.getProperty("it.agent.version"))).isEqualTo(1.0);
            assertThat(first.value("coderd_metrics_agent_listener_bind_failures_total")).isEqualTo(0.0);
            assertThat(first.value("coderd_metrics_agent_instrumented_types_total", "instrumentation", "jdk-httpserver")).isEqualTo(1.0);
            assertThat(first.value("coderd_metrics_agent_advice_errors_total", "instrumentation", "jdk-httpserver")).isEqualTo(0.0);
            assertThat(first.value("process_max_fds")).isEqualTo((double) maxFds());
            List<Exposition.Sample> runtime = first.samples("jvm_runtime_info");
            assertThat(runtime).hasSize(1);
            assertThat(runtime.get(0).value()).isEqualTo(1.0);
            assertThat(runtime.get(0).labels().get("version")).startsWith(jdkFeature() + ".");
            assertThat(first.samples("process_cpu_seconds_total")).hasSize(1);
            assertThat(first.samples("process_resident_memory_bytes")).hasSize(1);

            // nothing on the host's output but our one line: no JVM warning (class-data sharing stays on)
            assertThat(app.lines(AGENT_LINE)).containsExactly(
                    "[coderd-metrics-agent] INFO serving metrics on http://0.0.0.0:" + metricsPort + "/metrics" + ForkedJvm.INTAKE_OFF);
            assertThat(app.output()).noneMatch(l -> l.startsWith("WARNING") || l.contains("VM warning"));

            Exposition second = Http.scrape(metricsPort);
            assertThat(second.value(PROMHTTP, "code", "200")).isEqualTo(1.0);

            HttpResponse<String> open = Http.get("http://127.0.0.1:" + metricsPort + "/metrics",
                    "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertThat(open.headers().firstValue("Content-Type")).hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertThat(open.body()).endsWith("# EOF\n");
            HttpResponse<String> healthy = Http.get("http://127.0.0.1:" + metricsPort + "/-/healthy");
            assertThat(healthy.statusCode()).isEqualTo(200);
            assertThat(Http.rawStatus(metricsPort, "/nope")).isEqualTo(404);
            assertThat(Http.post("http://127.0.0.1:" + metricsPort + "/metrics", "{}").statusCode()).isEqualTo(405);
            assertThat(Http.scrape(metricsPort).value(PROMHTTP, "code", "200")).isEqualTo(3.0);
        }
    }

    @Test
    void badRequestsToTheListenerGetAClearErrorAndTheListenerServesOn() throws IOException {
        int metricsPort = Ports.free();
        try (ForkedJvm app = fixture(metricsPort)) {
            assertThat(rawExchange(metricsPort, "GARBAGE\r\n\r\n")).startsWith("HTTP/1.1 400 Bad Request");
            assertThat(rawExchange(metricsPort, "GET /metrics HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"))
                    .startsWith("HTTP/1.1 411 Length Required");
            assertThat(rawExchange(metricsPort, "GET /" + "x".repeat(10_000) + " HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 414 URI Too Long");
            assertThat(Http.scrape(metricsPort).value(PROMHTTP, "code", "200")).isEqualTo(0.0);
        }
    }

    /**
     * Three scrapers that keep their connections open and busy (an HA pair of Prometheus servers and a third),
     * and a fourth client (a kubelet probe): it is answered. The listener once had two core threads that
     * grew only when its queue was full, and the fourth client waited as long as the scrapers scraped.
     */
    @Test
    void busyKeepAliveScrapersLeaveRoomForAnotherClient() throws Exception {
        int metricsPort = Ports.free();
        try (ForkedJvm app = fixture(metricsPort)) {
            Http.scrape(metricsPort); // the listener is up
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            List<java.util.concurrent.CompletableFuture<Integer>> scrapers = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                scrapers.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> keepScraping(metricsPort, stop),
                        task -> new Thread(task, "scraper").start()));
            }
            try {
                Thread.sleep(500); // each scraper holds its connection now
                for (int i = 0; i < 3; i++) {
                    try (Socket probe = new Socket("127.0.0.1", metricsPort)) {
                        probe.setSoTimeout(8_000); // below the listener's 10 s idle timeout, which the scrapers never reach
                        probe.getOutputStream().write("GET /-/healthy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                        String answer = new String(probe.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                        assertThat(answer).startsWith("HTTP/1.1 200");
                    }
                }
            } finally {
                stop.set(true);
            }
            for (java.util.concurrent.CompletableFuture<Integer> scraper : scrapers) {
                assertThat(scraper.get()).isGreaterThanOrEqualTo(2); // scrapes each answered on its one connection
            }
        }
    }

    /** GETs /metrics every 200 ms on one keep-alive connection until {@code stop}; returns how many were answered. */
    private static int keepScraping(int port, java.util.concurrent.atomic.AtomicBoolean stop) {
        int answered = 0;
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            while (!stop.get()) {
                s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                int length = -1;
                for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring("content-length:".length()).trim());
                    }
                }
                in.readNBytes(length);
                answered++;
                Thread.sleep(200);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("scraper " + answered + " scrapes in", e);
        }
        return answered;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed after '" + line + "'");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Test
    void theHostsJdkServerAndLoggingSettingsAreLeftAlone() {
        int metricsPort = Ports.free();
        try (ForkedJvm app = ForkedJvm.on(jdk).agent("port=" + metricsPort)
                .main(JdkServerFixture.class, Integer.toString(Ports.free()), "sun.net.httpserver.maxReqHeaders=5").start(READY)) {
            // main saw no sun.net.httpserver.* property set, and could still install its own log manager
            assertThat(app.lines("sun.net.httpserver.maxReqTime=")).containsExactly(
                    "sun.net.httpserver.maxReqTime=null sun.net.httpserver.maxRspTime=null sun.net.httpserver.nodelay=null");
            assertThat(app.lines("log manager ")).containsExactly("log manager " + JdkServerFixture.FixtureLogManager.class.getName());
            // the host's own limit, set in main after the agent started, holds for the host's JDK server
            int port = appPort(app);
            assertThat(Http.rawStatus(port, USERS + "a", "A", "1", "B", "2")).isEqualTo(200);
            assertThat(Http.rawStatus(port, USERS + "b", "A", "1", "B", "2", "C", "3", "D", "4", "E", "5", "F", "6"))
                    .isNotEqualTo(200);
        }
    }

    @Test
    void javaToolOptionsAttachesTheAgentToo() {
        int metricsPort = Ports.free();
        try (ForkedJvm app = ForkedJvm.on(jdk).env("JAVA_TOOL_OPTIONS", agentOption("port=" + metricsPort))
                .main(JdkServerFixture.class, Integer.toString(Ports.free())).start(READY)) {
            int port = appPort(app);
            for (int i = 0; i < 4; i++) {
                assertThat(Http.rawStatus(port, USERS + i)).isEqualTo(200);
            }
            assertThat(usersProcessed(Http.scrape(metricsPort))).isEqualTo(4.0);
        }
    }

    @Test
    void twoJvmsWithTheSameOptionsBothRunAndTheSecondTakesThePortWhenTheFirstExits() {
        int metricsPort = Ports.free();
        String options = agentOption("port=" + metricsPort + ",bind-retry=300ms");
        ForkedJvm first = ForkedJvm.on(jdk).env("JAVA_TOOL_OPTIONS", options).main(JdkServerFixture.class, Integer.toString(Ports.free())).start(READY);
        try (ForkedJvm second = ForkedJvm.on(jdk).env("JAVA_TOOL_OPTIONS", options).main(JdkServerFixture.class, Integer.toString(Ports.free())).start(READY)) {
            second.await("cannot listen on", Duration.ofSeconds(10));
            int firstPort = appPort(first);
            int secondPort = appPort(second);
            for (int i = 0; i < 2; i++) {
                assertThat(Http.rawStatus(firstPort, USERS + i)).isEqualTo(200);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(Http.rawStatus(secondPort, USERS + i)).isEqualTo(200);
            }
            assertThat(usersProcessed(Http.scrape(metricsPort))).isEqualTo(2.0);

            first.close();
            second.await("INFO serving metrics on", Duration.ofSeconds(15));
            Exposition taken = Http.scrape(metricsPort);
            assertThat(usersProcessed(taken)).isEqualTo(3.0);
            assertThat(second.lines(AGENT_LINE)).hasSize(2);
            assertThat(second.lines("cannot listen on 0.0.0.0:" + metricsPort)).hasSize(1);
        } finally {
            first.close();
        }
    }

    @Test
    void attachedAtRunTimeItInstrumentsServletsAlreadyLoaded() throws Exception {
        int metricsPort = Ports.free();
        try (ForkedJvm app = ForkedJvm.on(jdk).jvmArg("-XX:+EnableDynamicAgentLoading")
                .main(dev.coderd.it.fixtures.JettyFixture.class, Integer.toString(Ports.free())).start(READY)) {
            int port = appPort(app);
            assertThat(Http.rawStatus(port, USERS + "before")).isEqualTo(200); // the servlet classes are loaded now
            com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(Long.toString(app.pid()));
            try {
                vm.loadAgent(dev.coderd.it.support.Artifacts.agentJar().toString(), "port=" + metricsPort);
            } finally {
                vm.detach();
            }
            app.await("INFO serving metrics on", Duration.ofSeconds(15));
            for (int i = 0; i < 2; i++) {
                assertThat(Http.rawStatus(port, USERS + i)).isEqualTo(200);
            }
            Exposition m = Http.scrape(metricsPort);
            assertThat(m.value(PROCESSED, "code", "200", "method", "GET", "path", "/api/v2/users/*")).isEqualTo(2.0);
            assertThat(app.output()).noneMatch(l -> l.startsWith("WARNING"));
        }
    }

    @Test
    void jdkToolsUnderJavaToolOptionsExitZeroWithNoAgentOutput() throws Exception {
        String options = agentOption("port=" + Ports.free());
        for (List<String> tool : List.of(List.of("jcmd", "-l"), List.of("keytool", "-help"))) {
            ForkedJvm run = ForkedJvm.on(jdk).env("JAVA_TOOL_OPTIONS", options).tool(tool.get(0), tool.get(1));
            assertThat(run.waitFor(Duration.ofSeconds(60))).as(tool + " exit code").isZero();
            assertThat(run.output()).as(tool + " output").noneMatch(l -> l.contains("coderd-metrics-agent]") || l.contains("Sharing is only supported"));
            assertThat(run.output().get(0)).isEqualTo("Picked up JAVA_TOOL_OPTIONS: " + options);
        }
    }

    @Test
    void theSameAgentGivenTwiceRunsOnce() {
        int metricsPort = Ports.free();
        int secondPort = Ports.free();
        try (ForkedJvm app = ForkedJvm.on(jdk).agent("port=" + metricsPort)
                .jvmArg("-javaagent:" + dev.coderd.it.support.Artifacts.agentJar() + "=port=" + secondPort)
                .main(JdkServerFixture.class, Integer.toString(Ports.free())).start(READY)) {
            assertThat(app.lines(AGENT_LINE)).containsExactly(
                    "[coderd-metrics-agent] INFO serving metrics on http://0.0.0.0:" + metricsPort + "/metrics" + ForkedJvm.INTAKE_OFF);
            assertThat(Http.scrape(metricsPort).value(PROMHTTP, "code", "200")).isEqualTo(0.0);
            assertThat(Http.listening(secondPort)).isFalse();
        }
    }

    @Test
    void aMalformedConfigurationGivesOneLineEachAndTheHostServesNormally(@TempDir Path dir) throws IOException {
        Path yaml = Files.writeString(dir.resolve("agent.yaml"),
                "series-limit: lots\nhttp:\n  routes:\n    - /api/v2/users/{user}\n");
        int metricsPort = Ports.free();
        try (ForkedJvm app = fixture(metricsPort, "config=" + yaml, "bind-retry=soon")) {
            assertThat(app.lines(AGENT_LINE + " WARN")).containsExactlyInAnyOrder(
                    "[coderd-metrics-agent] WARN config: coderd.metrics.bind-retry='soon' (agent argument) is not valid: "
                            + "expected a duration such as 500ms, 5s, 2m or 1h; using the default '5s'",
                    "[coderd-metrics-agent] WARN config: coderd.metrics.series-limit='lots' (YAML file " + yaml
                            + ") is not valid: expected a whole number of at least 1; using the default '2000'");
            // the YAML file was read in premain without starting java.util.logging before main
            assertThat(app.lines("log manager ")).containsExactly("log manager " + JdkServerFixture.FixtureLogManager.class.getName());
            int port = appPort(app);
            assertThat(Http.rawStatus(port, USERS + "alice")).isEqualTo(200);
            assertThat(Http.scrape(metricsPort).value(PROCESSED, "code", "200", "method", "GET", "path", "/api/v2/users/{user}"))
                    .isEqualTo(1.0);
        }
    }

    @Test
    void pastTheSeriesLimitNewLabelSetsGoToOneOtherSeriesAndAreCounted() {
        int metricsPort = Ports.free();
        try (ForkedJvm app = fixture(metricsPort, "series-limit=2")) {
            int port = appPort(app);
            for (String path : List.of(USERS + "a", "/api/v2/fail", "/api/v2/slow", "/api/v2/redirect", "/api/v2/slow")) {
                Http.rawStatus(port, path);
            }
            Exposition m = Http.scrape(metricsPort);
            assertThat(m.samples(PROCESSED)).hasSize(3);
            assertThat(m.value(PROCESSED, "code", "200", "method", "GET", "path", USERS)).isEqualTo(1.0);
            assertThat(m.value(PROCESSED, "code", "503", "method", "GET", "path", "/api/v2/fail")).isEqualTo(1.0);
            assertThat(m.value(PROCESSED, "code", "OTHER", "method", "OTHER", "path", "OTHER")).isEqualTo(3.0);
            assertThat(m.value("coderd_api_request_latencies_ms_count", "method", "OTHER", "path", "OTHER")).isEqualTo(3.0);
            assertThat(m.value("coderd_api_concurrent_requests", "method", "OTHER", "path", "OTHER")).isEqualTo(0.0);
            String dropped = "coderd_metrics_agent_dropped_series_total";
            assertThat(m.value(dropped, "metric", PROCESSED)).isEqualTo(3.0);
            assertThat(m.value(dropped, "metric", "coderd_api_request_latencies_ms")).isEqualTo(3.0);
            assertThat(m.value(dropped, "metric", "coderd_api_concurrent_requests")).isEqualTo(3.0);
        }
    }

    /** The whole output of {@link HelloFixture}, with the agent given {@code agentArgs} (null: no agent). */
    List<String> helloOutput(String agentArgs) throws InterruptedException {
        ForkedJvm.Builder builder = ForkedJvm.on(jdk);
        if (agentArgs != null) {
            builder.agent(agentArgs);
        }
        ForkedJvm run = builder.main(HelloFixture.class).start();
        assertThat(run.waitFor(Duration.ofSeconds(60))).isZero();
        return run.output();
    }

    @Test
    void theKillSwitchTheDenyListAndTheYamlFileDecideBeforeAnythingTouchesTheJvm(@TempDir Path dir) throws Exception {
        List<String> plain = helloOutput(null);
        assertThat(plain).containsExactly("hello from the application");
        String disabled = "[coderd-metrics-agent] INFO disabled (coderd.metrics.enabled=false); the application runs without the agent";
        int metricsPort = Ports.free();
        // the whole output, JVM warnings included
        assertThat(helloOutput("port=" + metricsPort + ",enabled=false")).containsExactly(disabled, plain.get(0));
        assertThat(helloOutput("port=" + metricsPort + ",exclude=*.HelloFixture")).containsExactlyElementsOf(plain);
        Path off = Files.writeString(dir.resolve("off.yaml"), "enabled: false\n");
        assertThat(helloOutput("port=" + metricsPort + ",config=" + off)).containsExactly(disabled, plain.get(0));
        Path excluded = Files.writeString(dir.resolve("excluded.yaml"), "exclude:\n  - '*HelloFixture'\n");
        assertThat(helloOutput("port=" + metricsPort + ",config=" + excluded)).containsExactlyElementsOf(plain);

        int port = Ports.free();
        try (ForkedJvm running = fixture(port, "enabled=false")) {
            assertThat(Http.rawStatus(appPort(running), USERS + "a")).isEqualTo(200);
            assertThat(Http.listening(port)).isFalse();
        }
    }

    @Test
    void aJvmWithoutAnApplicationIsSkippedSilentlyUnlessTheYamlFileForcesIt(@TempDir Path dir) throws Exception {
        ForkedJvm plain = ForkedJvm.on(jdk).tool("java", "-Xshare:auto", "-version");
        assertThat(plain.waitFor(Duration.ofSeconds(60))).isZero();
        String options = agentOption("port=" + Ports.free());
        ForkedJvm skipped = ForkedJvm.on(jdk).env("JAVA_TOOL_OPTIONS", options).tool("java", "-Xshare:auto", "-version");
        assertThat(skipped.waitFor(Duration.ofSeconds(60))).isZero();
        List<String> expected = new java.util.ArrayList<>(List.of("Picked up JAVA_TOOL_OPTIONS: " + options));
        expected.addAll(plain.output());
        assertThat(skipped.output()).containsExactlyElementsOf(expected);

        Path forced = Files.writeString(dir.resolve("force.yaml"), "force: true\nseries-limit: lots\n");
        String forcedOptions = agentOption("port=" + Ports.free() + ",config=" + forced);
        ForkedJvm ran = ForkedJvm.on(jdk).env("JAVA_TOOL_OPTIONS", forcedOptions).tool("java", "-Xshare:auto", "-version");
        assertThat(ran.waitFor(Duration.ofSeconds(60))).isZero();
        assertThat(ran.lines(AGENT_LINE + " WARN")).containsExactly("[coderd-metrics-agent] WARN config: "
                + "coderd.metrics.series-limit='lots' (YAML file " + forced + ") is not valid: expected a whole number of at "
                + "least 1; using the default '2000'");
        assertThat(ran.output()).noneMatch(l -> l.contains("VM warning")); // the bridge leaves class-data sharing on
    }

    @Test
    void anApplicationWithItsOwnByteBuddyAndPrometheusClientIsUnaffected() {
        int metricsPort = Ports.free();
        int ownMetricsPort = Ports.free();
        ForkedJvm.Builder builder = ForkedJvm.on(jdk).agent("port=" + metricsPort);
        // the application's own client settings (which its client validates strictly): ours must ignore them
        for (String setting : List.of("io.prometheus.metrics.histogramClassicUpperBounds=0.5,7",
                "io.prometheus.exporter.includeCreatedTimestamps=true")) {
            builder.jvmArg("-D" + setting);
        }
        try (ForkedJvm app = builder.main(OwnLibrariesFixture.class, Integer.toString(Ports.free()), Integer.toString(ownMetricsPort))
                .start(READY)) {
            assertThat(app.lines("made by")).containsExactly(
                    "made by the application's Byte Buddy from byte-buddy-" + System.getProperty("it.fixture.byte-buddy.version") + ".jar");
            Exposition own = Http.scrape(ownMetricsPort);
            assertThat(own.value("fixture_jobs_total")).isEqualTo(7.0);
            assertThat(own.text()).doesNotContain("coderd_");
            int port = appPort(app);
            assertThat(Http.rawStatus(port, USERS + "a")).isEqualTo(200);
            Exposition ours = Http.scrape(metricsPort);
            assertThat(usersProcessed(ours)).isEqualTo(1.0);
            assertThat(ours.text()).doesNotContain("fixture_jobs").doesNotContain("_created");
            assertThat(ours.value("coderd_api_request_latencies_ms_bucket", "method", "GET", "path", USERS, "le", "50.0")).isEqualTo(1.0);
            assertThat(ours.value("coderd_api_request_latencies_ms_bucket", "method", "GET", "path", USERS, "le", "7.0")).isNull();
            // the application's own exporter is a JDK server too: its scrape above is the application's request
            assertThat(ours.value(PROCESSED, "code", "200", "method", "GET", "path", "/metrics")).isEqualTo(1.0);
        }
    }

    private static String agentOption(String args) {
        return "-javaagent:" + dev.coderd.it.support.Artifacts.agentJar() + "=" + args;
    }

    private static String rawExchange(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private long maxFds() {
        return ((com.sun.management.UnixOperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
    }

    private int jdkFeature() {
        return jdk.name().equals("JDK 25") ? 25 : Runtime.version().feature();
    }
}

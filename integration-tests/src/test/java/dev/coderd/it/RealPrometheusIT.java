package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.coderd.it.support.Artifacts;
import dev.coderd.it.support.Contract;
import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.GrafanaDashboard;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import dev.coderd.it.support.Prometheus;
import dev.coderd.it.support.Tool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The agent where its users run it: a real Prometheus server (Debian's {@code prometheus} package; the test
 * fails, saying how to install it, where it is missing) scraping two test-app instances in demo mode, one on
 * JDK 17 and one on JDK 25 (both on JDK 17 where JDK 25 is not installed), every two seconds:
 *
 * <ul>
 *   <li>job {@code coderd}: both instances with the {@code metric_relabel_configs} of the shipped
 *       {@code deploy/prometheus/prometheus.yml} (the working {@code workspace_id} drop rule), and the shipped
 *       alerting rules {@code deploy/prometheus/coderd-rules.yml} loaded;</li>
 *   <li>job {@code coderd-literal-rule}: the same targets with the rule exactly as Coder's page prints it
 *       ({@code source_labels: ["workspace_id"]}, {@code action: drop}, no regex), which keeps nothing.</li>
 * </ul>
 *
 * <p>The instances are given no intake token, so their demo pushes no workspace series (which the working rule
 * would drop, making "every sample the agent serves is in Prometheus" untrue by design): a stand-in target in
 * both jobs, a JDK HTTP server in this test, serves a fixed exposition of workspace series and one aggregator
 * series, and what the rules do to {@code workspace_id} series is proved on it. The demo's uploaded license
 * makes the dashboard's license panels return data.
 *
 * <p>Prometheus is queried over its HTTP API. Values are exact: the test's own requests go to routes the demo
 * traffic never calls, and every other value is compared with the agent's own scrape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealPrometheusIT {
    static final String JOB = "coderd";
    static final String LITERAL_JOB = "coderd-literal-rule";
    static final String PROCESSED = "coderd_api_requests_processed_total";
    static final String USERS = "/api/v2/users";
    static final String REDIRECT = "/api/v2/debug/redirect";
    static final Path ROOT = Path.of(System.getProperty("it.project.root", "..")).toAbsolutePath().normalize();
    static final Path DASHBOARD = ROOT.resolve("deploy/grafana/coderd-dashboard.json");
    static final Path RULES = ROOT.resolve("deploy/prometheus/coderd-rules.yml");
    static final Path SCRAPE_CONFIG = ROOT.resolve("deploy/prometheus/prometheus.yml");

    /** Coder's page's rule, word for word: {@code metric_relabel_configs: - source_labels: ["workspace_id"] action: drop}. */
    static final List<Map<String, Object>> LITERAL_RULE = List.of(Map.of("source_labels", List.of("workspace_id"), "action", "drop"));

    /** What the stand-in serves: three workspace series, and one aggregator series without workspace_id. */
    static final String WORKSPACE_EXPOSITION = """
            # HELP coderd_workspace_agent_sessions_total Metrics are forwarded from workspace agents connected to this instance of coderd.
            # TYPE coderd_workspace_agent_sessions_total counter
            coderd_workspace_agent_sessions_total{agent_name="main",magic_type="ssh",user_id="u-1",workspace_id="w-1"} 3
            coderd_workspace_agent_sessions_total{agent_name="main",magic_type="vscode",user_id="u-1",workspace_id="w-1"} 1
            coderd_workspace_agent_sessions_total{agent_name="main",magic_type="ssh",user_id="u-2",workspace_id="w-2"} 2
            # HELP coderd_agent_aggregator_workspace_count_total Total number of workspace agents pushing metrics to this coderd.
            # TYPE coderd_agent_aggregator_workspace_count_total gauge
            coderd_agent_aggregator_workspace_count_total 2
            """;

    /** A request the test sends, to a route that the demo traffic never calls. */
    enum Call {
        CREATE_USER("POST", USERS, "{\"username\":\"carol\"}", 201),
        BAD_USER("POST", USERS, "{}", 400),
        REDIRECT_CALL("GET", REDIRECT, null, 302),
        DASHBOARD_ROOT("GET", "/", null, 200);

        final String method;
        final String path;
        final String body;
        final int code;

        Call(String method, String path, String body, int code) {
            this.method = method;
            this.path = path;
            this.body = body;
            this.code = code;
        }
    }

    record Instance(String name, Jdk jdk, ForkedJvm jvm, int appPort, int metricsPort) {
        String target() {
            return "127.0.0.1:" + metricsPort;
        }

        /** {@code count} requests of {@code call}, each answered with its code. */
        void send(Call call, int count) {
            for (int i = 0; i < count; i++) {
                String url = "http://127.0.0.1:" + appPort + call.path;
                int status = call.body == null ? Http.get(url).statusCode() : Http.post(url, call.body).statusCode();
                assertThat(status).as(call + " on " + name).isEqualTo(call.code);
            }
        }

        Exposition scrape() {
            return Http.scrape(metricsPort);
        }
    }

    Instance a;
    Instance b;
    HttpServer standIn;
    String standInTarget;
    Prometheus prometheus;
    String prometheusVersion;

    @BeforeAll
    void startTheStack(@TempDir Path dir) throws Exception {
        prometheusVersion = Prometheus.version();
        System.out.println("[RealPrometheusIT] " + prometheusVersion);
        List<Jdk> jdks = Jdk.all().filter(Jdk::installed).toList();
        Jdk second = jdks.get(jdks.size() - 1);
        if (jdks.size() == 1) {
            System.out.println("[RealPrometheusIT] JDK 25 is not installed: both test-app instances run on " + second);
        }
        CompletableFuture<Instance> first = CompletableFuture.supplyAsync(() -> launch("a", jdks.get(0)));
        b = launch("b", second);
        a = first.join();

        standIn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        standIn.createContext("/metrics", exchange -> {
            byte[] body = WORKSPACE_EXPOSITION.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        standIn.start();
        standInTarget = "127.0.0.1:" + standIn.getAddress().getPort();

        prometheus = Prometheus.start(dir, prometheusConfig());
        // the test's own traffic, checked by the first test and compared by the family checks
        a.send(Call.CREATE_USER, 5);
        a.send(Call.BAD_USER, 2);
        a.send(Call.REDIRECT_CALL, 3);
        a.send(Call.DASHBOARD_ROOT, 2);
        b.send(Call.CREATE_USER, 7);
        b.send(Call.BAD_USER, 1);
        b.send(Call.REDIRECT_CALL, 4);
        b.send(Call.DASHBOARD_ROOT, 1);
        awaitCounted(a, Map.of(Call.CREATE_USER, 5, Call.BAD_USER, 2, Call.REDIRECT_CALL, 3, Call.DASHBOARD_ROOT, 2));
        awaitCounted(b, Map.of(Call.CREATE_USER, 7, Call.BAD_USER, 1, Call.REDIRECT_CALL, 4, Call.DASHBOARD_ROOT, 1));
        awaitScrapes();
        prometheus.awaitScrapesAfter(LITERAL_JOB, now(), 3);
    }

    Instance launch(String name, Jdk jdk) {
        int metricsPort = Ports.free();
        // SQL gauges every 2 s: the license the demo uploads at start is in Prometheus within a few scrapes
        ForkedJvm jvm = ForkedJvm.on(jdk).agent("port=" + metricsPort + ",sql-gauges.interval=2s")
                .jar(Artifacts.testAppJar(), "--demo", "--server.port=" + Ports.free())
                .start("test-app ready on port (\\d+)");
        return new Instance(name, jdk, jvm, Integer.parseInt(jvm.await("test-app ready on port (\\d+)", Duration.ofSeconds(5))), metricsPort);
    }

    /** The two jobs, generated from the shipped scrape config's rule and the shipped alerting rules. */
    String prometheusConfig() throws IOException {
        Map<String, Object> shipped = new Yaml().load(Files.readString(SCRAPE_CONFIG));
        @SuppressWarnings("unchecked")
        Map<String, Object> shippedJob = ((List<Map<String, Object>>) shipped.get("scrape_configs")).stream()
                .filter(j -> JOB.equals(j.get("job_name"))).findFirst().orElseThrow();
        List<String> targets = List.of(a.target(), b.target(), standInTarget);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("global", Map.of("scrape_interval", "2s", "scrape_timeout", "2s", "evaluation_interval", "2s"));
        config.put("rule_files", List.of(RULES.toString()));
        config.put("scrape_configs", List.of(
                job(JOB, targets, shippedJob.get("metric_relabel_configs")),
                job(LITERAL_JOB, targets, LITERAL_RULE)));
        return new Yaml().dump(config);
    }

    static Map<String, Object> job(String name, List<String> targets, Object metricRelabelConfigs) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("job_name", name);
        job.put("metrics_path", "/metrics");
        job.put("static_configs", List.of(Map.of("targets", targets)));
        job.put("metric_relabel_configs", metricRelabelConfigs);
        return job;
    }

    @AfterAll
    void stopTheStack() {
        System.out.println("[RealPrometheusIT] ran against " + prometheusVersion);
        if (prometheus != null) {
            prometheus.close();
        }
        if (standIn != null) {
            standIn.stop(0);
        }
        for (Instance i : new Instance[] {a, b}) {
            if (i != null) {
                i.jvm().close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void bothInstancesAndTheStandInAreUpInBothJobs() {
        for (String job : List.of(JOB, LITERAL_JOB)) {
            Map<String, Double> up = byInstance("up{job=\"" + job + "\"}");
            assertThat(up).as(job + " " + prometheus.targets()).isEqualTo(Map.of(a.target(), 1.0, b.target(), 1.0, standInTarget, 1.0));
        }
        // the instances run where they should: Prometheus holds each one's own JVM version
        for (Instance i : List.of(a, b)) {
            String version = prometheus.query("jvm_runtime_info{job=\"coderd\",instance=\"" + i.target() + "\"}").get(0).label("version");
            assertThat(version).as(i.name()).startsWith(i.jdk().feature() + ".");
        }
    }

    /**
     * What Prometheus holds of each instance, one line per series the test's traffic or the JVM fixed: equal
     * to the agent's own scrape. After the merge of the database, job and websocket families, each gets one
     * line here (its series driven by the test-app's traffic).
     */
    List<SameAsAgent> familyChecks() {
        return List.of(
                new SameAsAgent(PROCESSED, "code", "201", "method", "POST", "path", USERS),
                new SameAsAgent(PROCESSED, "code", "400", "method", "POST", "path", USERS),
                new SameAsAgent(PROCESSED, "code", "302", "method", "GET", "path", REDIRECT),
                new SameAsAgent(PROCESSED, "code", "200", "method", "GET", "path", "/"),
                new SameAsAgent("coderd_api_request_latencies_ms_count", "method", "POST", "path", USERS),
                new SameAsAgent("coderd_api_request_latencies_ms_bucket", "method", "POST", "path", USERS, "le", "+Inf"),
                new SameAsAgent("coderd_api_request_latencies_ms_count", "method", "GET", "path", REDIRECT),
                new SameAsAgent("coderd_api_concurrent_requests", "method", "POST", "path", USERS),
                new SameAsAgent("promhttp_metric_handler_requests_total", "code", "500"),
                new SameAsAgent("promhttp_metric_handler_requests_total", "code", "503"),
                new SameAsAgent("coderd_metrics_agent_info"),
                new SameAsAgent("coderd_metrics_agent_advice_errors_total"),
                new SameAsAgent("coderd_metrics_agent_dropped_series_total"),
                new SameAsAgent("coderd_metrics_agent_listener_bind_failures_total"),
                new SameAsAgent("jvm_runtime_info"),
                new SameAsAgent("jvm_memory_max_bytes", "area", "heap"),
                new SameAsAgent("process_max_fds"),
                new SameAsAgent("process_start_time_seconds"),
                // the database families, on series only the test's own requests move (the demo's traffic moves others)
                new SameAsAgent("coderd_db_sql_queries_executed_total", "query", "INSERT users", "route", USERS),
                new SameAsAgent("coderd_db_sql_query_latencies_ms_count", "query", "INSERT users"),
                new SameAsAgent("go_sql_max_open_connections", "db_name", "coderd"));
    }

    /** Samples of {@code name} whose labels include {@code labels}: Prometheus's (job and instance aside) equal the agent's. */
    record SameAsAgent(String name, String... labels) {
        Map<Map<String, String>, Double> in(Exposition scrape) {
            Map<String, String> wanted = pairs(labels);
            Map<Map<String, String>, Double> found = new TreeMap<>(RealPrometheusIT::compareLabels);
            for (Exposition.Sample s : scrape.samples(name)) {
                if (s.labels().entrySet().containsAll(wanted.entrySet())) {
                    found.put(new TreeMap<>(s.labels()), s.value());
                }
            }
            return found;
        }

        String promql(Instance i) {
            Map<String, String> selector = new TreeMap<>(pairs(labels));
            selector.put("job", JOB);
            selector.put("instance", i.target());
            return name + selector.entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                    .collect(Collectors.joining(",", "{", "}"));
        }
    }

    @Test
    void everyFamilyEachInstanceExportsIsIngestedWithTheAgentsValues() {
        for (Instance i : List.of(a, b)) {
            Exposition before = i.scrape();
            double since = now();
            prometheus.awaitScrapesAfter(JOB, since, 3);
            Set<String> stored = prometheus.query("group by (__name__) ({job=\"coderd\",instance=\"" + i.target() + "\"})").stream()
                    .map(s -> s.label("__name__")).collect(Collectors.toCollection(TreeSet::new));
            stored.removeAll(Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped",
                    "scrape_samples_post_metric_relabeling", "scrape_series_added")); // Prometheus's own
            Exposition after = i.scrape();
            // every sample name the agent served before is in Prometheus, and Prometheus has nothing the agent did not serve
            assertThat(stored).as(i.name()).containsAll(names(before)).isSubsetOf(names(after));
            assertThat(stored).as(i.name()).contains(PROCESSED, "coderd_api_request_latencies_ms_bucket",
                    "coderd_api_concurrent_requests", "promhttp_metric_handler_requests_total", "coderd_metrics_agent_info",
                    "jvm_memory_used_bytes", "process_cpu_seconds_total");

            for (SameAsAgent check : familyChecks()) {
                Map<Map<String, String>, Double> agent = check.in(after);
                assertThat(agent).as("the agent's scrape of " + i.name() + " has " + check.promql(i)).isNotEmpty();
                Map<Map<String, String>, Double> held = new TreeMap<>(RealPrometheusIT::compareLabels);
                for (Prometheus.Sample s : prometheus.query(check.promql(i))) {
                    Map<String, String> labels = new TreeMap<>(s.labels());
                    labels.keySet().removeAll(Set.of("__name__", "job", "instance"));
                    held.put(labels, s.value());
                }
                assertThat(held).as(check.promql(i)).isEqualTo(agent);
            }
        }
    }

    @Test
    void sumByPathAcrossTheTwoInstancesIsWhatTheTwoServed() {
        String byPathAndCode = "sum by (path, code) (" + PROCESSED + "{job=\"coderd\",method=\"POST\",path=\"" + USERS + "\"}"
                + " or " + PROCESSED + "{job=\"coderd\",path=~\"/|" + REDIRECT + "\"})";
        String byPath = "sum by (path) (" + PROCESSED + "{job=\"coderd\",method=\"POST\",path=\"" + USERS + "\"}"
                + " or " + PROCESSED + "{job=\"coderd\",path=~\"/|" + REDIRECT + "\"})";
        String latencyCount = "sum by (path) (coderd_api_request_latencies_ms_count{job=\"coderd\",method=\"POST\",path=\"" + USERS + "\"})";
        // what @BeforeAll sent: a 5 + 2 + 3 + 2, b 7 + 1 + 4 + 1
        assertThat(byLabels(byPathAndCode, "path", "code")).isEqualTo(Map.of(
                USERS + " 201", 12.0, USERS + " 400", 3.0, REDIRECT + " 302", 7.0, "/ 200", 3.0));
        Map<String, Double> first = byLabels(byPath, "path");
        assertThat(first).isEqualTo(Map.of(USERS, 15.0, REDIRECT, 7.0, "/", 3.0));
        assertThat(byLabels(latencyCount, "path")).isEqualTo(Map.of(USERS, 15.0));

        a.send(Call.CREATE_USER, 4);
        a.send(Call.REDIRECT_CALL, 1);
        b.send(Call.CREATE_USER, 6);
        b.send(Call.REDIRECT_CALL, 2);
        awaitCounted(a, Map.of(Call.CREATE_USER, 9, Call.REDIRECT_CALL, 4));
        awaitCounted(b, Map.of(Call.CREATE_USER, 13, Call.REDIRECT_CALL, 6));
        awaitScrapes();

        Map<String, Double> second = byLabels(byPath, "path");
        Map<String, Double> increase = new TreeMap<>();
        second.forEach((path, v) -> increase.put(path, v - first.getOrDefault(path, 0.0)));
        assertThat(increase).isEqualTo(Map.of(USERS, 10.0, REDIRECT, 3.0, "/", 0.0));
        assertThat(byInstance(PROCESSED + "{job=\"coderd\",code=\"201\",method=\"POST\",path=\"" + USERS + "\"}"))
                .isEqualTo(Map.of(a.target(), 9.0, b.target(), 13.0));
        assertThat(byInstance("coderd_api_concurrent_requests{job=\"coderd\",method=\"POST\",path=\"" + USERS + "\"}"))
                .isEqualTo(Map.of(a.target(), 0.0, b.target(), 0.0));
    }

    @Test
    void theWorkingRuleDropsOnlyWorkspaceSeriesAndCodersLiteralRuleKeepsNothing() {
        // the stand-in serves 4 samples, 3 with a workspace_id
        assertThat(byLabels("scrape_samples_scraped{instance=\"" + standInTarget + "\"}", "job"))
                .isEqualTo(Map.of(JOB, 4.0, LITERAL_JOB, 4.0));
        assertThat(prometheus.value("scrape_samples_post_metric_relabeling{job=\"coderd\",instance=\"" + standInTarget + "\"}")).isEqualTo(1.0);
        assertThat(prometheus.query("{job=\"coderd\",workspace_id!=\"\"}")).isEmpty();
        assertThat(prometheus.query("coderd_workspace_agent_sessions_total")).isEmpty();
        // the stand-in's own aggregator count (the agents export theirs too, now that the aggregator has landed)
        assertThat(prometheus.value("coderd_agent_aggregator_workspace_count_total{job=\"coderd\",instance=\"" + standInTarget + "\"}"))
                .isEqualTo(2.0);

        // the agents export no workspace_id series: the working rule keeps every sample of theirs
        for (Instance i : List.of(a, b)) {
            String target = "job=\"coderd\",instance=\"" + i.target() + "\"";
            assertThat(prometheus.value("scrape_samples_post_metric_relabeling{" + target + "} - scrape_samples_scraped{" + target + "}"))
                    .as(i.name()).isEqualTo(0.0);
        }
        // the rule as Coder's page prints it keeps zero samples of every target, though all of them are up
        assertThat(byInstance("scrape_samples_post_metric_relabeling{job=\"coderd-literal-rule\"}"))
                .isEqualTo(Map.of(a.target(), 0.0, b.target(), 0.0, standInTarget, 0.0));
        assertThat(byInstance("up{job=\"coderd-literal-rule\"}")).isEqualTo(Map.of(a.target(), 1.0, b.target(), 1.0, standInTarget, 1.0));
        assertThat(prometheus.query("{job=\"coderd-literal-rule\",__name__!~\"up|scrape_.+\"}")).isEmpty();
    }

    @Test
    void promtoolCheckMetricsFindsNothingTheContractDoesNotExplain() {
        for (Instance i : List.of(a, b)) {
            String scrape = i.scrape().text();
            Tool.Result lint = Tool.runWithInput(Duration.ofSeconds(30), scrape, Prometheus.binary("promtool").toString(), "check", "metrics");
            List<String> problems = lint.stderr().lines().filter(l -> !l.isBlank()).toList();
            // exactly the explained problems of the families this agent exports, and no other
            Set<String> exported = new TreeSet<>(names(Exposition.parse(scrape))); // a gauge may end in _count (Coder's user count)
            names(Exposition.parse(scrape)).forEach(n -> exported.add(n.replaceFirst("_(bucket|sum|count)$", "")));
            Map<String, String> expected = new TreeMap<>(Contract.PROMTOOL_EXPLAINED);
            expected.keySet().removeIf(p -> !exported.contains(p.substring(0, p.indexOf(' '))));
            assertThat(problems).as(i.name() + ": promtool said\n" + lint.output() + "the contract explains " + expected)
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
            assertThat(lint.exitCode()).as(lint.output()).isEqualTo(expected.isEmpty() ? 0 : 3); // 3: lint problems only
        }
    }

    @Test
    void everyShippedAlertingRuleLoadsAndEvaluatesWithoutErrorOnLiveData() throws IOException {
        Map<String, Object> file = new Yaml().load(Files.readString(RULES));
        @SuppressWarnings("unchecked")
        List<String> groups = ((List<Map<String, Object>>) file.get("groups")).stream().map(g -> (String) g.get("name")).toList();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> notYet;
        do {
            JsonNode loaded = prometheus.api("/api/v1/rules").get("groups");
            List<String> names = new ArrayList<>();
            notYet = new ArrayList<>();
            for (JsonNode group : loaded) {
                names.add(group.get("name").asText());
                for (JsonNode rule : group.get("rules")) {
                    if (!"ok".equals(rule.path("health").asText())) {
                        notYet.add(rule.path("name").asText() + ": " + rule.path("health").asText() + " " + rule.path("lastError").asText());
                    }
                }
            }
            assertThat(names).isEqualTo(groups);
        } while (!notYet.isEmpty() && System.nanoTime() < deadline && pause(500));
        assertThat(notYet).isEmpty();
    }

    /**
     * Every PromQL expression of the Grafana dashboard, sent to this Prometheus: each parses; each whose
     * families this agent exports returns data. The others are skipped with the families they wait for.
     */
    @TestFactory
    Stream<DynamicTest> everyDashboardExpressionParsesAndReturnsDataForExportedFamilies() throws IOException {
        List<String[]> expressions = GrafanaDashboard.expressions(new ObjectMapper().readTree(DASHBOARD.toFile()));
        Set<String> exported = new TreeSet<>(names(a.scrape()));
        exported.addAll(names(b.scrape()));
        String instances = a.target() + "|" + b.target(); // the dots match any character: good enough here
        return expressions.stream().map(panelAndExpr -> DynamicTest.dynamicTest(panelAndExpr[0] + ": " + panelAndExpr[1], () -> {
            String promql = GrafanaDashboard.substitute(panelAndExpr[1], Map.of("job", JOB, "instance", instances));
            List<Prometheus.Sample> result = prometheus.query(promql); // fails with Prometheus's message if it does not parse
            List<String> missing = GrafanaDashboard.metricNames(promql).stream()
                    .filter(n -> !GrafanaDashboard.isPrometheusOwn(n))
                    .filter(n -> exported.stream().noneMatch(e -> n.endsWith("_") ? e.startsWith(n) : e.equals(n)))
                    .toList();
            Assumptions.assumeTrue(missing.isEmpty(), () -> "\"" + panelAndExpr[0] + "\" parses; its data waits for " + missing
                    + ", which these two instances do not export (HikariCP has no max-idle closing; they push no workspace series here)");
            // a family that just appeared (a websocket's first close) needs two scrapes inside a rate() window
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (result.isEmpty() && System.nanoTime() < deadline && pause(500)) {
                result = prometheus.query(promql);
            }
            assertThat(result).as(promql).isNotEmpty();
        }));
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Waits until the agent counted the test's requests, then asserts the exact counts. */
    void awaitCounted(Instance i, Map<Call, Integer> expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Map<Call, Double> counted;
        Map<Call, Double> want = new TreeMap<>();
        expected.forEach((c, n) -> want.put(c, n.doubleValue()));
        do {
            Exposition m = i.scrape();
            counted = new TreeMap<>();
            for (Call c : expected.keySet()) {
                Double v = m.value(PROCESSED, "code", Integer.toString(c.code), "method", c.method, "path", c.path);
                counted.put(c, v == null ? 0 : v);
            }
        } while (!counted.equals(want) && System.nanoTime() < deadline && pause(50));
        assertThat(counted).as(i.name()).isEqualTo(want);
    }

    void awaitScrapes() {
        prometheus.awaitScrapesAfter(JOB, now(), 3);
    }

    Map<String, Double> byInstance(String promql) {
        return byLabels(promql, "instance");
    }

    /** {@code promql}'s samples keyed by the values of {@code labels}, joined by a space. */
    Map<String, Double> byLabels(String promql, String... labels) {
        Map<String, Double> out = new TreeMap<>();
        for (Prometheus.Sample s : prometheus.query(promql)) {
            String key = Stream.of(labels).map(s::label).collect(Collectors.joining(" "));
            assertThat(out.put(key, s.value())).as(promql + " has two samples for " + key).isNull();
        }
        return out;
    }

    static Set<String> names(Exposition m) {
        Set<String> names = new TreeSet<>();
        for (String line : m.text().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                Matcher n = Pattern.compile("^[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(line);
                if (n.find()) {
                    names.add(n.group());
                }
            }
        }
        return names;
    }

    static Map<String, String> pairs(String... labelPairs) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            m.put(labelPairs[i], labelPairs[i + 1]);
        }
        return m;
    }

    static int compareLabels(Map<String, String> x, Map<String, String> y) {
        return x.toString().compareTo(y.toString());
    }

    static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    static boolean pause(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

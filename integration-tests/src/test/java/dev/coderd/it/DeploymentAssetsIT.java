package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coderd.it.fixtures.JdkServerFixture;
import dev.coderd.it.support.Artifacts;
import dev.coderd.it.support.Contract;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.GrafanaDashboard;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import dev.coderd.it.support.Prometheus;
import dev.coderd.it.support.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The files under {@code deploy/}, parsed and checked against each other and against the agent's defaults as
 * the README's configuration table states them (which {@code ConfigTableTest} keeps equal to the declared
 * keys): port 2112, path {@code /metrics}, the port named {@code prom-coderd}, the labels Coder's Prometheus
 * page selects on, the working {@code workspace_id} rule everywhere. Prometheus configurations and rules go
 * through {@code promtool}; the real-Prometheus test ({@link RealPrometheusIT}) runs them.
 */
class DeploymentAssetsIT {
    static final Path ROOT = Path.of(System.getProperty("it.project.root", "..")).toAbsolutePath().normalize();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final String PORT_NAME = "prom-coderd";

    /**
     * Coder's Prometheus page's PodMonitor, as the page prints it (coder.com/docs/v1/admin/prometheus): the
     * manifests must satisfy it unchanged.
     */
    static final String CODERS_PAGE_PODMONITOR = """
            apiVersion: monitoring.coreos.com/v1
            kind: PodMonitor
            metadata:
              name: master-monitor
              namespace: coder
            spec:
              selector:
                matchLabels:
                  app.kubernetes.io/component: coderd
              podMetricsEndpoints:
                - port: prom-coderd
            """;

    /** The working rule, in the Prometheus Operator's spelling. */
    static final List<Map<String, Object>> WORKING_RULE_OPERATOR = List.of(Map.of("sourceLabels", List.of("workspace_id"), "regex", ".+", "action", "drop"));
    /** The working rule, in a plain Prometheus configuration's spelling. */
    static final List<Map<String, Object>> WORKING_RULE_PLAIN = List.of(Map.of("source_labels", List.of("workspace_id"), "regex", ".+", "action", "drop"));

    // --- the agent's defaults, from the README's configuration table -------------------------------------------

    /** The {@code port} row of the README's configuration table: {@code | `port` | ... | `2112` | Port of the listener (`/metrics`, ...) |}. */
    static String[] portRow() throws IOException {
        return Files.readString(ROOT.resolve("README.md")).lines().filter(l -> l.startsWith("| `port` |"))
                .map(l -> l.split("\\|")).findFirst().orElseThrow(() -> new AssertionError("the README's table has no port row"));
    }

    static int defaultPort() throws IOException {
        return Integer.parseInt(portRow()[4].trim().replace("`", ""));
    }

    static String metricsPath() throws IOException {
        Matcher m = Pattern.compile("`(/metrics)`").matcher(portRow()[5]);
        assertThat(m.find()).as("the port row names the metrics path").isTrue();
        return m.group(1);
    }

    @Test
    void theAgentsDefaultsAreTheContracts() throws IOException {
        assertThat(defaultPort()).isEqualTo(2112);
        assertThat(metricsPath()).isEqualTo("/metrics");
    }

    // --- Kubernetes ---------------------------------------------------------------------------------------------

    static List<Map<String, Object>> manifests(String file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(Files.readString(DEPLOY.resolve("kubernetes").resolve(file)))) {
            if (doc != null) {
                docs.add(map(doc));
            }
        }
        return docs;
    }

    static Map<String, Object> kind(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(at(d, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + docs));
    }

    @Test
    void theTestAppsPodsCarryThePortAndTheLabelsCodersPodMonitorSelects() throws IOException {
        Map<String, Object> deployment = kind(manifests("test-app.yaml"), "Deployment", "coderd");
        Map<String, Object> pod = map(at(deployment, "spec", "template"));
        Map<String, Object> podLabels = map(at(pod, "metadata", "labels"));
        Map<String, Object> container = map(list(at(pod, "spec", "containers")).get(0));
        List<Map<String, Object>> ports = list(container.get("ports")).stream().map(DeploymentAssetsIT::map).toList();

        Map<String, Object> page = map(new Yaml().load(CODERS_PAGE_PODMONITOR));
        Map<String, Object> ours = manifests("podmonitor.yaml").get(0);
        for (Map<String, Object> monitor : List.of(page, ours)) {
            String what = at(monitor, "metadata", "name") + " (" + (monitor == page ? "Coder's page" : "deploy/kubernetes/podmonitor.yaml") + ")";
            assertThat(podLabels).as(what + " selects the pods").containsAllEntriesOf(map(at(monitor, "spec", "selector", "matchLabels")));
            assertThat(at(monitor, "metadata", "namespace")).as(what).isEqualTo(at(deployment, "metadata", "namespace"));
            Map<String, Object> endpoint = map(list(at(monitor, "spec", "podMetricsEndpoints")).get(0));
            assertThat(endpoint.get("port")).as(what).isEqualTo(PORT_NAME);
            assertThat(endpoint.getOrDefault("path", "/metrics")).as(what).isEqualTo(metricsPath());
        }
        // the port the monitors name is the agent's listener
        assertThat(ports).filteredOn(p -> PORT_NAME.equals(p.get("name"))).singleElement()
                .satisfies(p -> assertThat(p.get("containerPort")).isEqualTo(defaultPort()));
        // the labels Coder's Helm chart puts on its pods, so selectors written for it work too
        assertThat(podLabels).containsEntry("app.kubernetes.io/name", "coder").containsEntry("app.kubernetes.io/component", "coderd");
        assertThat(podLabels).containsAllEntriesOf(map(at(deployment, "spec", "selector", "matchLabels")));
        // the liveness probe asks the agent's listener, on the named port
        assertThat(map(at(container, "livenessProbe", "httpGet"))).containsEntry("path", "/-/healthy").containsEntry("port", PORT_NAME);
        assertThat(list(map(list(at(ours, "spec", "podMetricsEndpoints")).get(0)).get("metricRelabelings"))).isEqualTo(WORKING_RULE_OPERATOR);
    }

    @Test
    void theServiceMonitorFindsTheHeadlessServiceOfThePort() throws IOException {
        List<Map<String, Object>> docs = manifests("test-app.yaml");
        Map<String, Object> service = kind(docs, "Service", "coderd-prom");
        Map<String, Object> podLabels = map(at(kind(docs, "Deployment", "coderd"), "spec", "template", "metadata", "labels"));
        assertThat(at(service, "spec", "clusterIP")).isEqualTo("None");
        assertThat(podLabels).containsAllEntriesOf(map(at(service, "spec", "selector")));
        Map<String, Object> servicePort = map(list(at(service, "spec", "ports")).get(0));
        assertThat(servicePort).containsEntry("name", PORT_NAME).containsEntry("port", defaultPort()).containsEntry("targetPort", PORT_NAME);

        Map<String, Object> monitor = manifests("servicemonitor.yaml").get(0);
        assertThat(monitor.get("kind")).isEqualTo("ServiceMonitor");
        assertThat(at(monitor, "metadata", "namespace")).isEqualTo(at(service, "metadata", "namespace"));
        assertThat(map(at(service, "metadata", "labels"))).containsAllEntriesOf(map(at(monitor, "spec", "selector", "matchLabels")));
        Map<String, Object> endpoint = map(list(at(monitor, "spec", "endpoints")).get(0));
        assertThat(endpoint).containsEntry("port", PORT_NAME).containsEntry("path", metricsPath());
        assertThat(list(endpoint.get("metricRelabelings"))).isEqualTo(WORKING_RULE_OPERATOR);
        // only the PodMonitor's pods' Service may carry the monitor's label: the app's own Service must not be scraped
        assertThat(map(at(kind(docs, "Service", "coderd"), "metadata", "labels"))).doesNotContainKey("app.kubernetes.io/component");
    }

    @Test
    void theReadmesPodMonitorIsTheShippedOne() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<Object> podMonitors = yamlBlocks(readme).stream().filter(b -> b.contains("kind: PodMonitor"))
                .map(b -> (Object) new Yaml().load(b)).toList();
        assertThat(podMonitors).isNotEmpty().allSatisfy(m -> assertThat(m).isEqualTo(manifests("podmonitor.yaml").get(0)));
        assertThat(readme).doesNotContain("prometheus-http");
    }

    // --- Prometheus ----------------------------------------------------------------------------------------------

    @Test
    void everyPlainPrometheusConfigurationPassesPromtoolAndDropsWorkspaceSeriesTheWorkingWay(@TempDir Path dir) throws IOException {
        List<Path> configs = new ArrayList<>(List.of(DEPLOY.resolve("prometheus/prometheus.yml"), DEPLOY.resolve("prometheus/prometheus-kubernetes.yml")));
        try (Stream<Path> remote = Files.list(DEPLOY.resolve("prometheus/remote-write"))) {
            configs.addAll(remote.sorted().toList());
        }
        assertThat(configs.stream().map(p -> p.getFileName().toString()))
                .contains("thanos.yml", "mimir.yml", "victoriametrics.yml");
        for (Path config : configs) {
            Map<String, Object> parsed = map(new Yaml().load(Files.readString(config)));
            Map<String, Object> job = list(parsed.get("scrape_configs")).stream().map(DeploymentAssetsIT::map)
                    .filter(j -> "coderd".equals(j.get("job_name"))).findFirst().orElseThrow();
            assertThat(list(job.get("metric_relabel_configs"))).as(config.toString()).isEqualTo(WORKING_RULE_PLAIN);
            assertThat(job.getOrDefault("metrics_path", "/metrics")).as(config.toString()).isEqualTo(metricsPath());
            for (Object staticConfig : list(job.getOrDefault("static_configs", List.of()))) {
                for (Object target : list(map(staticConfig).get("targets"))) {
                    assertThat((String) target).as(config.toString()).endsWith(":" + defaultPort());
                }
            }
            if (config.getFileName().toString().startsWith("prometheus")) {
                assertThat(list(parsed.get("rule_files"))).as(config.toString()).containsExactly("coderd-rules.yml");
            } else {
                assertThat(list(parsed.get("remote_write"))).as(config.toString()).hasSize(1);
                assertThat(map(at(parsed, "global", "external_labels"))).as(config + ": the central store tells clusters apart").containsKey("cluster");
            }
            assertThat(promtoolCheckConfig(config, dir)).as(config.toString()).isEmpty();
        }
    }

    /**
     * {@code promtool check config}'s complaints, or nothing. Debian's build of Prometheus 2.42 is compiled
     * without Kubernetes service discovery ({@code field kubernetes_sd_configs not found}): there the
     * configuration is checked with its discovery replaced by a static target, so the rest is still checked.
     */
    static String promtoolCheckConfig(Path config, Path dir) throws IOException {
        Path copy = dir.resolve(config.getFileName());
        Files.copy(config, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(DEPLOY.resolve("prometheus/coderd-rules.yml"), dir.resolve("coderd-rules.yml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Tool.Result r = promtool("check", "config", copy.toString());
        if (r.exitCode() != 0 && r.output().contains("field kubernetes_sd_configs not found")) {
            System.out.println("[DeploymentAssetsIT] this promtool has no Kubernetes discovery (Debian's build): "
                    + config.getFileName() + " is checked with a static target in its place");
            Map<String, Object> parsed = map(new Yaml().load(Files.readString(config)));
            for (Object job : list(parsed.get("scrape_configs"))) {
                if (map(job).remove("kubernetes_sd_configs") != null) {
                    map(job).put("static_configs", List.of(Map.of("targets", List.of("coderd-0.example.internal:" + defaultPort()))));
                }
            }
            Files.writeString(copy, new Yaml().dump(parsed));
            r = promtool("check", "config", copy.toString());
        }
        return r.exitCode() == 0 && r.output().contains("SUCCESS") ? "" : r.output();
    }

    @Test
    void theAlertingRulesPassPromtoolAndItsUnitTestsFireEachAlertAndOnlyIt() throws IOException {
        Path rules = DEPLOY.resolve("prometheus/coderd-rules.yml");
        Tool.Result check = promtool("check", "rules", rules.toString());
        List<String> alerts = new ArrayList<>();
        Set<String> families = new TreeSet<>();
        for (Object group : list(map(new Yaml().load(Files.readString(rules))).get("groups"))) {
            for (Object rule : list(map(group).get("rules"))) {
                alerts.add((String) map(rule).get("alert"));
                families.addAll(GrafanaDashboard.metricNames((String) map(rule).get("expr")));
            }
        }
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + alerts.size() + " rules found");
        // the issue's list: 5xx ratio, p99 latency, pool exhausted, job backlog, license expiring, dropped series
        assertThat(alerts).contains("CoderdApiHighErrorRatio", "CoderdApiHighP99Latency", "CoderdDbPoolExhausted",
                "CoderdJobBacklogGrowing", "CoderdLicenseExpiringSoon", "CoderdMetricsAgentDroppingSeries");
        assertThat(families).contains("coderd_api_requests_processed_total", "coderd_api_request_latencies_ms_bucket",
                "go_sql_in_use_connections", "go_sql_max_open_connections", "coderd_backgroundjob_current_enqueued_jobs",
                "coderd_license_time_until_expires_days", "coderd_metrics_agent_dropped_series_total");
        assertThat(families).allMatch(f -> Contract.all().stream().anyMatch(f::startsWith), "families of the contract");

        Path unitTests = DEPLOY.resolve("prometheus/coderd-rules.test.yml");
        Tool.Result test = promtool("test", "rules", unitTests.toString());
        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
        // every alert has a case where it fires (exp_alerts not empty) and one where it stays quiet
        Set<String> fired = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (Object testCase : list(map(new Yaml().load(Files.readString(unitTests))).get("tests"))) {
            for (Object expectation : list(map(testCase).get("alert_rule_test"))) {
                String alert = (String) map(expectation).get("alertname");
                (list(map(expectation).get("exp_alerts")).isEmpty() ? quiet : fired).add(alert);
            }
        }
        assertThat(fired).as("alerts fired by a unit test").containsExactlyInAnyOrderElementsOf(alerts);
        assertThat(quiet).as("alerts kept quiet by a unit test").containsExactlyInAnyOrderElementsOf(alerts);
    }

    // --- Grafana -------------------------------------------------------------------------------------------------

    @Test
    void theDashboardCoversEveryFamilyOfTheContractAndIsWellFormed() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DEPLOY.resolve("grafana/coderd-dashboard.json").toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("coderd-metrics-agent");
        List<String> variables = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        assertThat(variables).containsExactly("datasource", "job", "instance");

        List<String[]> expressions = GrafanaDashboard.expressions(dashboard);
        Set<String> read = new TreeSet<>();
        for (String[] q : expressions) {
            String promql = GrafanaDashboard.substitute(q[1], Map.of("job", "coderd", "instance", ".+"));
            read.addAll(GrafanaDashboard.metricNames(promql));
            assertThat(q[1]).as(q[0] + " filters by the dashboard's variables").contains("job=~\"$job\"", "instance=~\"$instance\"");
        }
        List<String> uncovered = Contract.all().stream()
                .filter(family -> read.stream().noneMatch(name -> name.equals(family) || name.startsWith(family + "_")
                        || (family.endsWith("_") && name.startsWith(family))))
                .toList();
        assertThat(uncovered).as("contract families no panel shows").isEmpty();

        Set<Integer> ids = new HashSet<>();
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panels::add);
        for (JsonNode panel : panels) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel id " + panel.path("id") + " is unique").isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).as(panel.path("title").asText()).isBetween(1, 24);
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo("${datasource}");
                Set<String> refIds = new HashSet<>();
                panel.path("targets").forEach(t -> assertThat(refIds.add(t.path("refId").asText())).isTrue());
                assertThat(refIds).as(panel.path("title").asText()).isNotEmpty();
            }
        }
    }

    // --- the container image --------------------------------------------------------------------------------------

    /**
     * The recipe's {@code JAVA_TOOL_OPTIONS}, with the jar where the build puts it instead of where the image
     * does, attaches the agent to an application; the base image's own options are kept after it.
     */
    @Test
    void theImageRecipeAddsTheAgentThroughJavaToolOptions() throws IOException {
        List<String> lines = dockerfile(DEPLOY.resolve("container/Dockerfile"));
        assertThat(lines).contains("ARG BASE=eclipse-temurin:21-jre", "FROM ${BASE}", "EXPOSE " + defaultPort());
        String copy = lines.stream().filter(l -> l.startsWith("COPY ")).findFirst().orElseThrow();
        String[] copyArgs = copy.split("\\s+");
        assertThat(copyArgs[1]).isEqualTo("agent/target/coderd-metrics-agent.jar");
        String inImage = copyArgs[2];
        String env = lines.stream().filter(l -> l.startsWith("ENV JAVA_TOOL_OPTIONS=")).findFirst().orElseThrow();
        String value = env.substring("ENV JAVA_TOOL_OPTIONS=".length()).replaceAll("^\"|\"$", "");
        String kept = "${JAVA_TOOL_OPTIONS:+ ${JAVA_TOOL_OPTIONS}}";
        assertThat(value).isEqualTo("-javaagent:" + inImage + kept);
        assertThat(Files.isRegularFile(ROOT.resolve(copyArgs[1]))).as("the recipe copies the jar the build makes").isTrue();

        String options = value.replace(inImage, Artifacts.agentJar().toString()).replace(kept, "");
        int metricsPort = Ports.free();
        Jdk jdk = Jdk.all().findFirst().orElseThrow();
        try (ForkedJvm app = ForkedJvm.on(jdk).env("JAVA_TOOL_OPTIONS", options).env("CODERD_METRICS_PORT", Integer.toString(metricsPort))
                .main(JdkServerFixture.class, Integer.toString(Ports.free())).start(FoundationIT.READY)) {
            assertThat(app.output().get(0)).isEqualTo("Picked up JAVA_TOOL_OPTIONS: " + options);
            assertThat(Http.scrape(metricsPort).value("coderd_metrics_agent_info", "version", System.getProperty("it.agent.version")))
                    .isEqualTo(1.0);
        }

        List<String> testApp = dockerfile(DEPLOY.resolve("container/test-app.Dockerfile"));
        assertThat(testApp).contains("COPY test-app/target/test-app.jar /opt/test-app/test-app.jar",
                "ENTRYPOINT [\"java\", \"-jar\", \"/opt/test-app/test-app.jar\"]");
    }

    /** The instructions of a Dockerfile, one per line, comments and blank lines left out. */
    static List<String> dockerfile(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    static Tool.Result promtool(String... args) {
        List<String> command = new ArrayList<>(List.of(Prometheus.binary("promtool").toString()));
        command.addAll(List.of(args));
        return Tool.run(Duration.ofSeconds(60), command.toArray(new String[0]));
    }

    /** The bodies of the README's ```yaml blocks. */
    static List<String> yamlBlocks(String markdown) {
        Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }

    /** The value at a path of map keys. */
    static Object at(Map<String, Object> root, String... keys) {
        Object o = root;
        for (String key : keys) {
            o = map(o).get(key);
            assertThat(o).as(String.join(".", keys) + " (at " + key + ")").isNotNull();
        }
        return o;
    }
}

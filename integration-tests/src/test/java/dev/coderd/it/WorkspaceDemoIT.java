package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.support.Artifacts;
import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The README's first command, JDK 17 and 25: the test-app's {@code --demo} with {@code CODERD_METRICS_INTAKE_TOKEN}
 * set for both (the agent and the test-app read the same variable); its six simulated workspace agents' first
 * push shows exactly, then the two idle ones stop and their series expire while the four busy ones keep theirs.
 * Pushes every 3 s here (10 s in the demo), expiry 8 s (2 minutes by default).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.coderd.it.support.Jdk#all")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkspaceDemoIT {
    static final List<String> FAMILIES = List.of("coderd_workspace_agent_sessions_total",
            "coderd_workspace_agent_reconnecting_pty_connections_total", "coderd_workspace_agent_startup_script_seconds");

    /** Every agent's first push (fixed values), one sample a line, labels sorted. */
    static final String FIRST_PUSH = """
            coderd_workspace_agent_reconnecting_pty_connections_total{agent_name="main",user_id="admin",workspace_id="ci"} 0.0
            coderd_workspace_agent_reconnecting_pty_connections_total{agent_name="main",user_id="alice",workspace_id="dev"} 2.0
            coderd_workspace_agent_reconnecting_pty_connections_total{agent_name="main",user_id="alice",workspace_id="ml"} 4.0
            coderd_workspace_agent_reconnecting_pty_connections_total{agent_name="main",user_id="bob",workspace_id="docs"} 1.0
            coderd_workspace_agent_reconnecting_pty_connections_total{agent_name="main",user_id="bob",workspace_id="sandbox"} 0.0
            coderd_workspace_agent_reconnecting_pty_connections_total{agent_name="main",user_id="me",workspace_id="scratch"} 0.0
            coderd_workspace_agent_sessions_total{agent_name="main",magic_type="ssh",user_id="admin",workspace_id="ci"} 9.0
            coderd_workspace_agent_sessions_total{agent_name="main",magic_type="ssh",user_id="alice",workspace_id="dev"} 4.0
            coderd_workspace_agent_sessions_total{agent_name="main",magic_type="ssh",user_id="alice",workspace_id="ml"} 2.0
            coderd_workspace_agent_sessions_total{agent_name="main",magic_type="ssh",user_id="bob",workspace_id="docs"} 1.0
            coderd_workspace_agent_sessions_total{agent_name="main",magic_type="ssh",user_id="bob",workspace_id="sandbox"} 0.0
            coderd_workspace_agent_sessions_total{agent_name="main",magic_type="ssh",user_id="me",workspace_id="scratch"} 1.0
            coderd_workspace_agent_sessions_total{agent_name="main",magic_type="vscode",user_id="admin",workspace_id="ci"} 0.0
            coderd_workspace_agent_sessions_total{agent_name="main",magic_type="vscode",user_id="alice",workspace_id="dev"} 7.0
            coderd_workspace_agent_sessions_total{agent_name="main",magic_type="vscode",user_id="alice",workspace_id="ml"} 5.0
            coderd_workspace_agent_sessions_total{agent_name="main",magic_type="vscode",user_id="bob",workspace_id="docs"} 3.0
            coderd_workspace_agent_sessions_total{agent_name="main",magic_type="vscode",user_id="bob",workspace_id="sandbox"} 1.0
            coderd_workspace_agent_sessions_total{agent_name="main",magic_type="vscode",user_id="me",workspace_id="scratch"} 0.0
            coderd_workspace_agent_startup_script_seconds{agent_name="main",success="true",user_id="admin",workspace_id="ci"} 3.25
            coderd_workspace_agent_startup_script_seconds{agent_name="main",success="true",user_id="alice",workspace_id="dev"} 12.5
            coderd_workspace_agent_startup_script_seconds{agent_name="main",success="true",user_id="alice",workspace_id="ml"} 41.75
            coderd_workspace_agent_startup_script_seconds{agent_name="main",success="true",user_id="bob",workspace_id="docs"} 8.0
            coderd_workspace_agent_startup_script_seconds{agent_name="main",success="true",user_id="bob",workspace_id="sandbox"} 6.5
            coderd_workspace_agent_startup_script_seconds{agent_name="main",success="true",user_id="me",workspace_id="scratch"} 2.0
            """;

    @Parameter
    Jdk jdk;
    ForkedJvm app;
    int metricsPort;

    @BeforeParameterizedClassInvocation
    void start() {
        metricsPort = Ports.free();
        app = ForkedJvm.on(jdk).agent("port=" + metricsPort + ",workspace.expiry=8s").env("CODERD_METRICS_INTAKE_TOKEN", "demo-token")
                .jar(Artifacts.testAppJar(), "--demo", "--server.port=" + Ports.free(), "--demo.push-interval=3s",
                        "--demo.intake-url=http://127.0.0.1:" + metricsPort + "/v1/workspace-metrics")
                .start("test-app ready on port (\\d+)");
    }

    @AfterParameterizedClassInvocation
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** The demo's forwarded samples, one a line as in {@link #FIRST_PUSH}. */
    static String workspaceSamples(Exposition m) {
        return FAMILIES.stream().flatMap(f -> m.samples(f).stream())
                .map(s -> s.name() + new TreeMap<>(s.labels()).entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                        .collect(Collectors.joining(",", "{", "}")) + " " + s.value())
                .sorted().collect(Collectors.joining("\n", "", "\n"));
    }

    /** The sample lines without their values. */
    static List<String> series(String samples) {
        return samples.lines().map(l -> l.substring(0, l.lastIndexOf(' '))).toList();
    }

    @Test
    void theFirstPushShowsExactlyThenTheIdleAgentsStopAndExpire() throws InterruptedException {
        app.await("demo: 6 workspace agents push to http://127.0.0.1:" + metricsPort
                + "/v1/workspace-metrics every 3 s; sandbox and scratch stop after 3 pushes", Duration.ofSeconds(5));
        // the first push of all six lands within milliseconds; the second comes 3 s later
        Exposition first = Http.awaitScrape(metricsPort, e -> workspaceSamples(e).lines().count() == 24);
        assertThat(workspaceSamples(first)).isEqualTo(FIRST_PUSH);

        // sandbox and scratch push at 0, 3 and 6 s and expire 8 s after their last push, near 14 s
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Exposition later = Http.scrape(metricsPort);
        // the aggregator's workspace count drops at its next sweep (up to 1 s after a scrape stops showing them)
        while (workspaceSamples(later).contains("sandbox") || workspaceSamples(later).contains("scratch")
                || !Double.valueOf(4).equals(later.value("coderd_agent_aggregator_workspace_count_total"))) {
            assertThat(System.nanoTime()).as("the idle agents' series still shown after 30 s").isLessThan(deadline);
            Thread.sleep(200);
            later = Http.scrape(metricsPort);
        }
        String busy = FIRST_PUSH.lines().filter(l -> !l.contains("sandbox") && !l.contains("scratch"))
                .collect(Collectors.joining("\n", "", "\n"));
        assertThat(series(workspaceSamples(later))).isEqualTo(series(busy));
        // the busy agents' counters moved at random since; their startup gauge did not
        assertThat(workspaceSamples(later).lines().filter(l -> l.contains("startup_script")).toList())
                .isEqualTo(busy.lines().filter(l -> l.contains("startup_script")).toList());
        assertThat(later.value("coderd_agent_aggregator_count_total")).isEqualTo(16.0);
        assertThat(later.value("coderd_agent_aggregator_workspace_count_total")).isEqualTo(4.0);
        assertThat(later.value("coderd_metrics_agent_workspace_bundles_total", "result", "unauthorized")).isEqualTo(0.0);
        assertThat(later.value("coderd_metrics_agent_workspace_bundles_total", "result", "forbidden")).isEqualTo(0.0);
    }
}

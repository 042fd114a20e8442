package dev.coderd.it;

import static dev.coderd.it.WorkspaceMetricsIT.SESSIONS;
import static dev.coderd.it.WorkspaceMetricsIT.bundle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.support.Artifacts;
import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import dev.coderd.it.support.RawWebSocket;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two test-app instances with the agent (two coderd replicas), JDK 17 and 25: a workspace whose agent moves its
 * listener websocket from A to B, and back, shows on each instance only while that instance holds it; a workspace
 * that stays on A stays on A. The expiry is 10 minutes, so only the listener's close explains a deletion.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.coderd.it.support.Jdk#all")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkspaceMovesIT {
    static final String SESSIONS_FAMILY = "coderd_workspace_agent_sessions_total";

    /** One replica: the test-app's port and its agent's listener port. */
    record Instance(ForkedJvm app, int appPort, int metricsPort) {
        static Instance start(Jdk jdk) {
            int appPort = Ports.free();
            int metricsPort = Ports.free();
            ForkedJvm app = ForkedJvm.on(jdk)
                    .agent("port=" + metricsPort + ",intake.token=" + WorkspaceMetricsIT.TOKEN + ",workspace.expiry=10m")
                    .jar(Artifacts.testAppJar(), "--server.port=" + appPort).start("test-app ready on port (\\d+)");
            return new Instance(app, appPort, metricsPort);
        }

        /** Opens the workspace agent's listener here and waits for the server's greeting (its onOpen ran). */
        RawWebSocket listen(String workspace) {
            RawWebSocket listener = RawWebSocket.connect(appPort, "/api/private/envagent/" + workspace + "/listen");
            assertThat(listener.status()).isEqualTo(101);
            assertThat(listener.readText()).isEqualTo("listening " + workspace);
            return listener;
        }

        void push(String workspace, int sessions) {
            assertThat(WorkspaceMetricsIT.push(metricsPort, bundle(workspace, SESSIONS.formatted(sessions))).statusCode())
                    .isEqualTo(202);
        }

        /** Scrapes until the sessions shown here, by workspace, are {@code expected}; returns that scrape. */
        Exposition awaitShowing(Map<String, Double> expected) throws InterruptedException {
            Exposition m = Http.awaitScrape(metricsPort, e -> sessions(e).equals(expected));
            assertThat(sessions(m)).as("sessions by workspace on :" + metricsPort).isEqualTo(expected);
            return m;
        }
    }

    @Parameter
    Jdk jdk;
    Instance a;
    Instance b;

    @BeforeParameterizedClassInvocation
    void start() {
        a = Instance.start(jdk);
        b = Instance.start(jdk);
    }

    @AfterParameterizedClassInvocation
    void stop() {
        for (Instance i : new Instance[] {a, b}) {
            if (i != null) {
                i.app().close();
            }
        }
    }

    /** {@code agent_sessions_total} by workspace; every sample must carry exactly the pushed labels. */
    static Map<String, Double> sessions(Exposition m) {
        Map<String, Double> byWorkspace = new TreeMap<>();
        for (Exposition.Sample s : m.samples(SESSIONS_FAMILY)) {
            String workspace = s.labels().get("workspace_id");
            assertThat(s.labels()).isEqualTo(Map.of("agent_name", "main", "magic_type", "ssh", "user_id", "u-1",
                    "workspace_id", workspace));
            byWorkspace.put(workspace, s.value());
        }
        return byWorkspace;
    }

    @Test
    void aWorkspaceShowsOnlyOnTheInstanceThatHoldsItsListener() throws InterruptedException {
        try (RawWebSocket staying = a.listen("ws-staying")) {
            a.push("ws-staying", 5);

            RawWebSocket onA = a.listen("ws-moving");
            a.push("ws-moving", 3);
            a.awaitShowing(Map.of("ws-moving", 3.0, "ws-staying", 5.0));
            b.awaitShowing(Map.of());

            // the agent reconnects to B: its listener on A closes, it pushes to B
            onA.close();
            RawWebSocket onB = b.listen("ws-moving");
            b.push("ws-moving", 4);
            Exposition aAfter = a.awaitShowing(Map.of("ws-staying", 5.0));
            b.awaitShowing(Map.of("ws-moving", 4.0));
            assertThat(aAfter.value("coderd_agent_aggregator_workspace_count_total")).isEqualTo(1.0);
            assertThat(aAfter.value("coderd_agent_aggregator_count_total")).isEqualTo(1.0);

            // and back to A
            onB.close();
            try (RawWebSocket again = a.listen("ws-moving")) {
                a.push("ws-moving", 6);
                a.awaitShowing(Map.of("ws-moving", 6.0, "ws-staying", 5.0));
                Exposition bAfter = b.awaitShowing(Map.of());
                assertThat(bAfter.value("coderd_agent_aggregator_workspace_count_total")).isEqualTo(0.0);
                assertThat(bAfter.value("coderd_agent_aggregator_count_total")).isEqualTo(0.0);
            }
        }
        // its listener on A closed too: A shows neither now (the expiry, 10 minutes, is far off)
        a.awaitShowing(Map.of());
        b.awaitShowing(Map.of());
        assertThat(Http.scrape(a.metricsPort()).value("coderd_metrics_agent_workspace_bundles_total", "result", "applied"))
                .isEqualTo(3.0);
        assertThat(Http.scrape(b.metricsPort()).value("coderd_metrics_agent_workspace_bundles_total", "result", "applied"))
                .isEqualTo(1.0);
    }
}

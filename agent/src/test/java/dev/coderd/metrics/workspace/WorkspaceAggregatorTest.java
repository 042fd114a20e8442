package dev.coderd.metrics.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.Expositions;
import dev.coderd.metrics.metrics.WorkspaceMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkspaceAggregatorTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final AgentRegistry registry = new AgentRegistry(100);
    final WorkspaceMetrics metrics = new WorkspaceMetrics(registry);
    final WorkspaceAggregator aggregator = new WorkspaceAggregator(
            new WorkspaceAggregator.Settings(Duration.ofSeconds(120), 5, 3, 2), metrics, now::get);

    {
        metrics.expose(() -> {
            while (aggregator.step()) { }
            return aggregator.snapshot();
        });
    }

    static Bundle bundle(String json) throws BadBundle {
        return BundleParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static Bundle push(String workspace, String metrics) throws BadBundle {
        return bundle("{\"workspace_id\":\"" + workspace + "\",\"user_id\":\"u1\",\"agent_name\":\"main\",\"metrics\":[" + metrics + "]}");
    }

    static final String SESSIONS = "{\"name\":\"agent_sessions_total\",\"type\":\"counter\",\"value\":%s,"
            + "\"labels\":[{\"name\":\"magic_type\",\"value\":\"ssh\"}]}";
    static final String LOAD = "{\"name\":\"agent_load\",\"type\":\"gauge\",\"value\":%s}";

    String workspaceLines() {
        return Expositions.text(registry.registry(), "coderd_workspace_", "coderd_agent_aggregator_count_total",
                "coderd_agent_aggregator_workspace_count_total");
    }

    @Test
    void theLastPushedValueWinsUnderTheContractsNameHelpAndLabels() throws BadBundle {
        assertThat(aggregator.offer(push("w1", SESSIONS.formatted(3) + "," + LOAD.formatted(0.5)))).isTrue();
        assertThat(aggregator.offer(push("w1", SESSIONS.formatted(7)))).isTrue();

        assertThat(workspaceLines()).isEqualTo("""
                # HELP coderd_agent_aggregator_count_total Total number of agent metrics being reported by this coderd.
                # TYPE coderd_agent_aggregator_count_total gauge
                coderd_agent_aggregator_count_total 2.0
                # HELP coderd_agent_aggregator_workspace_count_total Total number of workspace agents pushing metrics to this coderd.
                # TYPE coderd_agent_aggregator_workspace_count_total gauge
                coderd_agent_aggregator_workspace_count_total 1.0
                # HELP coderd_workspace_agent_load Metrics are forwarded from workspace agents connected to this instance of coderd.
                # TYPE coderd_workspace_agent_load gauge
                coderd_workspace_agent_load{agent_name="main",user_id="u1",workspace_id="w1"} 0.5
                # HELP coderd_workspace_agent_sessions_total Metrics are forwarded from workspace agents connected to this instance of coderd.
                # TYPE coderd_workspace_agent_sessions_total counter
                coderd_workspace_agent_sessions_total{agent_name="main",magic_type="ssh",user_id="u1",workspace_id="w1"} 7.0
                """);
        assertThat(Expositions.text(registry.registry(), "coderd_metrics_agent_workspace_")).contains(
                "coderd_metrics_agent_workspace_bundles_total{result=\"accepted\"} 2.0",
                "coderd_metrics_agent_workspace_bundles_total{result=\"applied\"} 2.0",
                "coderd_metrics_agent_workspace_samples_total 3.0");
    }

    @Test
    void aSeriesExpiresItsExpiryAfterItsLastPush() throws BadBundle {
        aggregator.offer(push("w1", SESSIONS.formatted(3) + "," + LOAD.formatted(1)));
        while (aggregator.step()) { }
        now.addAndGet(TimeUnit.SECONDS.toNanos(60));
        aggregator.offer(push("w1", LOAD.formatted(2)));
        while (aggregator.step()) { }
        now.addAndGet(TimeUnit.SECONDS.toNanos(60)); // sessions pushed 120 s ago: gone; load 60 s ago: kept
        assertThat(workspaceLines()).contains("coderd_workspace_agent_load{agent_name=\"main\",user_id=\"u1\",workspace_id=\"w1\"} 2.0")
                .contains("coderd_agent_aggregator_count_total 1.0").doesNotContain("agent_sessions_total");
        now.addAndGet(TimeUnit.SECONDS.toNanos(60));
        assertThat(workspaceLines()).doesNotContain("coderd_workspace_").contains("coderd_agent_aggregator_count_total 0.0",
                "coderd_agent_aggregator_workspace_count_total 0.0");
    }

    @Test
    void anAgentWhoseSeriesExpiredIsNotCountedEvenBeforeTheSweepRemovesIt() throws BadBundle {
        aggregator.offer(push("w1", LOAD.formatted(1)));
        aggregator.offer(bundle("{\"workspace_id\":\"w1\",\"user_id\":\"u1\",\"agent_name\":\"sidecar\",\"metrics\":["
                + LOAD.formatted(5) + "]}"));
        while (aggregator.step()) { }
        now.addAndGet(TimeUnit.SECONDS.toNanos(60));
        aggregator.offer(push("w1", LOAD.formatted(2)));
        while (aggregator.step()) { }
        now.addAndGet(TimeUnit.SECONDS.toNanos(60)); // sidecar pushed 120 s ago: expired, not yet swept
        String view = Expositions.text(aggregator.snapshot(), "coderd_agent_aggregator_count_total", "coderd_agent_aggregator_workspace_count_total");
        assertThat(view).contains("coderd_agent_aggregator_count_total 1.0", "coderd_agent_aggregator_workspace_count_total 1.0");
    }

    @Test
    void aClosedListenerDeletesItsWorkspaceOnly() throws BadBundle {
        aggregator.offer(push("w1", LOAD.formatted(1)));
        aggregator.offer(push("w2", LOAD.formatted(2)));
        while (aggregator.step()) { }
        aggregator.deleteWorkspace("w1");
        assertThat(workspaceLines()).doesNotContain("workspace_id=\"w1\"")
                .contains("coderd_workspace_agent_load{agent_name=\"main\",user_id=\"u1\",workspace_id=\"w2\"} 2.0");
    }

    @Test
    void aBundlePastACapIsRefusedWholeAndCounted() throws BadBundle {
        // per workspace 3: four new series in one bundle are refused, none stored
        aggregator.offer(push("w1", LOAD.formatted(1) + ",{\"name\":\"a\",\"type\":\"gauge\",\"value\":1},"
                + "{\"name\":\"b\",\"type\":\"gauge\",\"value\":1},{\"name\":\"c\",\"type\":\"gauge\",\"value\":1}"));
        while (aggregator.step()) { }
        aggregator.offer(push("w1", LOAD.formatted(1) + ",{\"name\":\"a\",\"type\":\"gauge\",\"value\":1}"));
        aggregator.offer(push("w2", LOAD.formatted(1) + ",{\"name\":\"a\",\"type\":\"gauge\",\"value\":1}"));
        while (aggregator.step()) { }
        // total 5: w3's two would make 6
        aggregator.offer(push("w3", LOAD.formatted(1) + ",{\"name\":\"a\",\"type\":\"gauge\",\"value\":1}"));
        // a family stored as a gauge cannot come back as a counter
        aggregator.offer(push("w3", "{\"name\":\"agent_load\",\"type\":\"counter\",\"value\":1}"));
        assertThat(workspaceLines()).contains("coderd_agent_aggregator_count_total 4.0");
        assertThat(Expositions.text(registry.registry(), "coderd_metrics_agent_workspace_bundles")).contains(
                "{result=\"workspace_limit\"} 1.0", "{result=\"total_limit\"} 1.0", "{result=\"type_conflict\"} 1.0",
                "{result=\"applied\"} 2.0");
    }

    @Test
    void aFullQueueRefusesThePush() throws BadBundle {
        assertThat(aggregator.offer(push("w1", LOAD.formatted(1)))).isTrue();
        assertThat(aggregator.offer(push("w1", LOAD.formatted(2)))).isTrue();
        assertThat(aggregator.offer(push("w1", LOAD.formatted(3)))).isFalse();
        assertThat(Expositions.text(registry.registry(), "coderd_agent_aggregator_agent_push_backlog",
                "coderd_metrics_agent_workspace_bundles_total{result=\"queue_full\"}")).isEqualTo("""
                # HELP coderd_agent_aggregator_agent_push_backlog Total number of agent metric bundles waiting to be processed.
                # TYPE coderd_agent_aggregator_agent_push_backlog gauge
                coderd_agent_aggregator_agent_push_backlog 0.0
                coderd_metrics_agent_workspace_bundles_total{result="queue_full"} 1.0
                """);
    }

    @Test
    void theSixAggregatorFamiliesWithTheirTypes() throws BadBundle {
        aggregator.offer(push("w1", LOAD.formatted(1)));
        while (aggregator.step()) { }
        aggregator.deleteWorkspace("gone");
        aggregator.offer(push("w1", LOAD.formatted(1)));
        // built by the owner before it drains: the queued bundle and deletion show as backlog
        aggregator.snapshot();
        String text = Expositions.text(registry.registry(), "coderd_agent_aggregator_");
        assertThat(text).contains("# TYPE coderd_agent_aggregator_collect_nanoseconds summary",
                "coderd_agent_aggregator_collect_nanoseconds_count 2", "coderd_agent_aggregator_collect_nanoseconds_sum 0.0",
                "coderd_agent_aggregator_collect_backlog 0.0");
    }

    @Test
    void backlogsAreTheQueuesAtCollectTime() throws BadBundle {
        aggregator.offer(push("w1", LOAD.formatted(1)));
        aggregator.deleteWorkspace("gone");
        String text = String.valueOf(aggregator.snapshot().stream()
                .filter(m -> m.getMetadata().getName().endsWith("backlog")).map(m -> m.getMetadata().getName() + "="
                        + ((io.prometheus.metrics.model.snapshots.GaugeSnapshot) m).getDataPoints().get(0).getValue()).toList());
        assertThat(text).isEqualTo("[coderd_agent_aggregator_agent_push_backlog=1.0, coderd_agent_aggregator_collect_backlog=0.0, "
                + "coderd_agent_aggregator_delete_backlog=1.0]");
    }
}

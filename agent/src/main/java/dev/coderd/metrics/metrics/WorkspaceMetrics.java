package dev.coderd.metrics.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Forwarded workspace metrics and the aggregator's own families, built by {@code workspace/WorkspaceAggregator}
 * in one pass per scrape:
 *
 * <pre>
 * # HELP coderd_workspace_agent_sessions_total Metrics are forwarded from workspace agents connected to this instance of coderd.
 * # TYPE coderd_workspace_agent_sessions_total counter
 * coderd_workspace_agent_sessions_total{agent_name="main",magic_type="ssh",user_id="u1",workspace_id="w1"} 3.0
 * coderd_agent_aggregator_agent_push_backlog 0.0
 * coderd_agent_aggregator_collect_backlog 0.0
 * coderd_agent_aggregator_collect_nanoseconds_count 12
 * coderd_agent_aggregator_collect_nanoseconds_sum 183342.0
 * coderd_agent_aggregator_count_total 1.0
 * coderd_agent_aggregator_delete_backlog 0.0
 * coderd_agent_aggregator_workspace_count_total 1.0
 * coderd_metrics_agent_workspace_bundles_total{result="applied"} 7.0
 * </pre>
 *
 * @see dev.coderd.metrics.workspace.WorkspaceAggregator
 */
public final class WorkspaceMetrics {
    public static final String PREFIX = "coderd_workspace_";
    public static final String HELP = "Metrics are forwarded from workspace agents connected to this instance of coderd.";

    public static final String PUSH_BACKLOG = "coderd_agent_aggregator_agent_push_backlog";
    public static final String PUSH_BACKLOG_HELP = "Total number of agent metric bundles waiting to be processed.";
    public static final String COLLECT_BACKLOG = "coderd_agent_aggregator_collect_backlog";
    public static final String COLLECT_BACKLOG_HELP = "Total amount of gathers waiting to collect metrics.";
    public static final String COLLECT_NANOSECONDS = "coderd_agent_aggregator_collect_nanoseconds";
    public static final String COLLECT_NANOSECONDS_HELP = "Time taken to collect all metrics.";
    public static final String COUNT = "coderd_agent_aggregator_count_total";
    public static final String COUNT_HELP = "Total number of agent metrics being reported by this coderd.";
    public static final String DELETE_BACKLOG = "coderd_agent_aggregator_delete_backlog";
    public static final String DELETE_BACKLOG_HELP = "Total number of agents waiting to be deleted in aggregator.";
    public static final String WORKSPACE_COUNT = "coderd_agent_aggregator_workspace_count_total";
    public static final String WORKSPACE_COUNT_HELP = "Total number of workspace agents pushing metrics to this coderd.";

    public static final String BUNDLES = "coderd_metrics_agent_workspace_bundles_total";
    public static final String BUNDLES_HELP = "Workspace-metric bundles pushed to the intake, by result.";
    public static final String SAMPLES = "coderd_metrics_agent_workspace_samples_total";
    public static final String SAMPLES_HELP = "Workspace-metric samples applied to the aggregator.";

    // results of a bundle; the intake's statuses in brackets
    public static final String ACCEPTED = "accepted";               // 202: queued
    public static final String APPLIED = "applied";                 // applied whole
    public static final String QUEUE_FULL = "queue_full";           // 503
    public static final String BAD_REQUEST = "bad_request";         // 400
    public static final String UNAUTHORIZED = "unauthorized";       // 401
    public static final String FORBIDDEN = "forbidden";             // 403
    public static final String WORKSPACE_LIMIT = "workspace_limit"; // refused whole: workspace.max-series-per-workspace
    public static final String TOTAL_LIMIT = "total_limit";         // refused whole: workspace.max-series
    public static final String TYPE_CONFLICT = "type_conflict";     // refused whole: a family stored with the other type
    public static final String DELETE_QUEUE_FULL = "delete_queue_full"; // a closed listener's deletion left to expiry
    public static final String ERROR = "error";                     // the aggregator failed on a bundle (a bug)
    static final List<String> RESULTS = List.of(ACCEPTED, APPLIED, QUEUE_FULL, BAD_REQUEST, UNAUTHORIZED, FORBIDDEN,
            WORKSPACE_LIMIT, TOTAL_LIMIT, TYPE_CONFLICT, DELETE_QUEUE_FULL, ERROR);

    private final AgentRegistry registry;
    private final Map<String, CounterDataPoint> results = new HashMap<>();
    private final CounterDataPoint samples;

    public WorkspaceMetrics(AgentRegistry registry) {
        this.registry = registry;
        Counter bundles = registry.counter(BUNDLES, BUNDLES_HELP, "result");
        for (String result : RESULTS) {
            results.put(result, bundles.labelValues(result));
        }
        samples = registry.counter(SAMPLES, SAMPLES_HELP).labelValues();
    }

    /** Exposes the aggregator's view (the forwarded series and the six aggregator families) on every scrape. */
    public void expose(MultiCollector aggregator) {
        registry.registry().register(aggregator);
    }

    public void bundles(String result) {
        results.get(result).inc();
    }

    public void applied(String result, int sampleCount) {
        results.get(result).inc();
        samples.inc(sampleCount);
    }

    /** The six {@code coderd_agent_aggregator_*} families, from the aggregator's state at one instant. */
    public List<MetricSnapshot> aggregatorSnapshots(int pushBacklog, int collectBacklog, long collects, double collectNanos,
                                                    int series, int deleteBacklog, int agents) {
        return List.of(
                gauge(PUSH_BACKLOG, PUSH_BACKLOG_HELP, pushBacklog),
                gauge(COLLECT_BACKLOG, COLLECT_BACKLOG_HELP, collectBacklog),
                SummarySnapshot.builder().name(COLLECT_NANOSECONDS).help(COLLECT_NANOSECONDS_HELP)
                        .dataPoint(SummaryDataPointSnapshot.builder().count(collects).sum(collectNanos).build()).build(),
                gauge(COUNT, COUNT_HELP, series),
                gauge(DELETE_BACKLOG, DELETE_BACKLOG_HELP, deleteBacklog),
                gauge(WORKSPACE_COUNT, WORKSPACE_COUNT_HELP, agents));
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help).dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }
}

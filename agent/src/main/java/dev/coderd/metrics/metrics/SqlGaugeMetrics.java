package dev.coderd.metrics.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;

/**
 * The SQL gauges' families, each built by {@code sqlgauge/SqlGaugeRunner} from its query's rows when the query
 * ran (a scrape only reads them), and their health:
 *
 * <pre>
 * # HELP coderd_license_user_limit Number of users allowed by the license.
 * # TYPE coderd_license_user_limit gauge
 * coderd_license_user_limit 25.0
 * coderd_metrics_agent_sql_query_failures_total{gauge="coderd_license_user_limit"} 0.0
 * </pre>
 *
 * @see dev.coderd.metrics.sqlgauge.SqlGaugeRunner
 */
public final class SqlGaugeMetrics {
    public static final String FAILURES = "coderd_metrics_agent_sql_query_failures_total";
    public static final String FAILURES_HELP = "Runs of an SQL gauge's query that failed (the gauge is absent until one succeeds), by gauge.";

    private final AgentRegistry registry;
    private final Counter failures;

    public SqlGaugeMetrics(AgentRegistry registry, List<String> gauges) {
        this.registry = registry;
        failures = registry.counter(FAILURES, FAILURES_HELP, "gauge");
        gauges.forEach(failures::initLabelValues);
    }

    /** Exposes the gauges; refused (an {@link IllegalArgumentException}) when a name is another family's. */
    public void expose(MultiCollector gauges) {
        registry.registry().register(gauges);
    }

    public void failed(String gauge) {
        failures.labelValues(gauge).inc();
    }

    /** A gauge family of {@code rows} data points: the label values of point i, then its value, at {@code values[i]}. */
    public static GaugeSnapshot family(String name, String help, String[] labelNames, List<String[]> labelValues, double[] values) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        for (int i = 0; i < values.length; i++) {
            b.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of(labelNames, labelValues.get(i))).value(values[i]).build());
        }
        return b.build();
    }
}

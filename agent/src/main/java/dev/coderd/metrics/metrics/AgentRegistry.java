package dev.coderd.metrics.metrics;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The agent's private registry and the one way its families are built: explicit properties (never the
 * client's global {@code PrometheusProperties.get()}, which would read the application's
 * {@code io.prometheus.*} settings), no exemplars, classic histograms only.
 *
 * <pre>
 * AgentRegistry registry = new AgentRegistry(2000);
 * Counter c = registry.counter("coderd_x_total", "Help text.", "label");
 * </pre>
 */
public final class AgentRegistry {
    private final PrometheusProperties properties = PrometheusProperties.builder().build();
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
    private final PrometheusRegistry registry = new PrometheusRegistry() {
        @Override
        public MetricSnapshots scrape(PrometheusScrapeRequest request) {
            beforeScrape.forEach(Runnable::run);
            return super.scrape(request);
        }

        @Override
        public MetricSnapshots scrape(Predicate<String> includedNames, PrometheusScrapeRequest request) {
            beforeScrape.forEach(Runnable::run);
            return super.scrape(includedNames, request);
        }
    };
    private final int seriesLimit;
    private final Counter droppedSeries;

    public AgentRegistry(int seriesLimit) {
        this.seriesLimit = seriesLimit;
        this.droppedSeries = counter(HealthMetrics.DROPPED_SERIES, HealthMetrics.DROPPED_SERIES_HELP, "metric");
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * Runs {@code action} at the start of every scrape, before any family is collected: state that only a
     * scrape moves (delayed jobs that became due) is brought up to date once for all families.
     */
    public void beforeScrape(Runnable action) {
        beforeScrape.add(action);
    }

    public PrometheusProperties properties() {
        return properties;
    }

    public Counter counter(String name, String help, String... labels) {
        return Counter.builder(properties).name(name).help(help).labelNames(labels).withoutExemplars().register(registry);
    }

    public Gauge gauge(String name, String help, String... labels) {
        return Gauge.builder(properties).name(name).help(help).labelNames(labels).withoutExemplars().register(registry);
    }

    public Histogram histogram(String name, String help, double[] buckets, String... labels) {
        return Histogram.builder(properties).name(name).help(help).labelNames(labels)
                .classicOnly().classicUpperBounds(buckets).withoutExemplars().register(registry);
    }

    /** A counter whose label sets are capped at the series limit; see {@link SeriesLimiter}. */
    public SeriesLimiter<CounterDataPoint> limitedCounter(String name, String help, String... labels) {
        return new SeriesLimiter<>(counter(name, help, labels)::labelValues, labels.length, seriesLimit,
                droppedSeries.labelValues(name), OverflowPoints::counter);
    }

    /** A gauge for values that go up and down on the hot path: see {@link AdderGauges}. */
    public SeriesLimiter<InFlightGauge> limitedGauge(String name, String help, String... labels) {
        return new SeriesLimiter<>(new AdderGauges(this, name, help, labels)::labelValues, labels.length, seriesLimit,
                droppedSeries.labelValues(name), OverflowPoints::gauge);
    }

    public SeriesLimiter<DistributionDataPoint> limitedHistogram(String name, String help, double[] buckets, String... labels) {
        return new SeriesLimiter<>(histogram(name, help, buckets, labels)::labelValues, labels.length, seriesLimit,
                droppedSeries.labelValues(name), OverflowPoints::distribution);
    }
}

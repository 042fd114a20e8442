package dev.coderd.metrics.metrics;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    /** In-flight gauges, collected before every other family: see {@link #readFirst}. */
    private final List<Collector> readFirst = new CopyOnWriteArrayList<>();
    private final Set<String> readFirstNames = ConcurrentHashMap.newKeySet();
    private final PrometheusRegistry registry = new PrometheusRegistry() {
        @Override
        public MetricSnapshots scrape(PrometheusScrapeRequest request) {
            return inFlightFirst(null, request);
        }

        @Override
        public MetricSnapshots scrape(Predicate<String> includedNames, PrometheusScrapeRequest request) {
            return inFlightFirst(includedNames, request);
        }

        private MetricSnapshots inFlightFirst(Predicate<String> includedNames, PrometheusScrapeRequest request) {
            beforeScrape.forEach(Runnable::run);
            Predicate<String> wanted = includedNames == null ? name -> true : includedNames;
            MetricSnapshots.Builder out = MetricSnapshots.builder();
            for (Collector first : readFirst) {
                MetricSnapshot s = first.collect(request);
                if (s != null && wanted.test(s.getMetadata().getPrometheusName())) {
                    out.metricSnapshot(s);
                }
            }
            for (MetricSnapshot s : super.scrape(name -> wanted.test(name) && !readFirstNames.contains(name), request)) {
                out.metricSnapshot(s);
            }
            return out.build();
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

    /**
     * Registers an in-flight gauge (requests, sessions, waiting jobs) that every scrape reads before the other
     * families. The client's registry collects in no fixed order (a hash set of collectors), so a request
     * ending between the counter's collection and the gauge's could be in neither: read first, a finished
     * request is in flight or counted, never missing (at worst, for a moment, both).
     */
    void readFirst(Collector gauge, String name) {
        registry.register(gauge);
        readFirstNames.add(name);
        readFirst.add(gauge);
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

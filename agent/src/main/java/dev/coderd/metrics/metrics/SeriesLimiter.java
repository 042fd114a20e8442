package dev.coderd.metrics.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DataPoint;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Hands out the data point of a label set, at most {@code limit} distinct label sets per family. Past the
 * limit every new label set gets the family's one overflow series, all of whose labels are {@code OTHER},
 * and each observation recorded there counts in {@code coderd_metrics_agent_dropped_series_total{metric}}.
 *
 * <p>Callers cache what this returns (a lookup allocates a key); it is not meant for every observation.
 */
public final class SeriesLimiter<D extends DataPoint> {
    public static final String OVERFLOW = "OTHER";

    private final Function<String[], D> family;
    private final int limit;
    private final ConcurrentHashMap<List<String>, D> admitted = new ConcurrentHashMap<>();
    private final D overflow;

    /** {@code family} returns the data point of a label set, as {@code StatefulMetric::labelValues} does. */
    SeriesLimiter(Function<String[], D> family, int labelCount, int limit, CounterDataPoint dropped,
                  BiFunction<LazyPoint<D>, CounterDataPoint, D> overflowOf) {
        this.family = family;
        this.limit = limit;
        this.overflow = overflowOf.apply(new LazyPoint<>(family, labelCount), dropped);
    }

    public D get(String... labelValues) {
        List<String> key = Arrays.asList(labelValues);
        D point = admitted.get(key);
        if (point != null) {
            return point;
        }
        synchronized (admitted) {
            point = admitted.get(key);
            if (point == null) {
                if (admitted.size() >= limit) {
                    return overflow;
                }
                point = family.apply(labelValues);
                admitted.put(key, point);
            }
            return point;
        }
    }

    /** The overflow data point, created on first use so that no OTHER series shows before it is needed. */
    static final class LazyPoint<D extends DataPoint> {
        private final Function<String[], D> family;
        private final int labelCount;
        private volatile D point;

        LazyPoint(Function<String[], D> family, int labelCount) {
            this.family = family;
            this.labelCount = labelCount;
        }

        D get() {
            D p = point;
            if (p == null) {
                String[] others = new String[labelCount];
                Arrays.fill(others, OVERFLOW);
                point = p = family.apply(others);
            }
            return p;
        }
    }
}

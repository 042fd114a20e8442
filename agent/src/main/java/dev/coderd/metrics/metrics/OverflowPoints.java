package dev.coderd.metrics.metrics;

import dev.coderd.metrics.metrics.SeriesLimiter.LazyPoint;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * Data points of a family's {@code OTHER} series that also count each observation they take in
 * {@code coderd_metrics_agent_dropped_series_total}. Gauges count increments only: a decrement undoes one.
 */
final class OverflowPoints {
    private OverflowPoints() {}

    static CounterDataPoint counter(LazyPoint<CounterDataPoint> other, CounterDataPoint dropped) {
        return new CounterDataPoint() {
            @Override public void inc(double amount) { other.get().inc(amount); dropped.inc(); }
            @Override public void incWithExemplar(double amount, Labels labels) { inc(amount); }
            @Override public double get() { return other.get().get(); }
            @Override public long getLongValue() { return other.get().getLongValue(); }
        };
    }

    static InFlightGauge gauge(LazyPoint<InFlightGauge> other, CounterDataPoint dropped) {
        return new InFlightGauge() {
            @Override public void inc(double amount) {
                other.get().inc(amount);
                if (amount > 0) {
                    dropped.inc();
                }
            }
            @Override public void incWithExemplar(double amount, Labels labels) { inc(amount); }
            @Override public void withdraw() { other.get().withdraw(); }
            @Override public void set(double value) { other.get().set(value); dropped.inc(); }
            @Override public void setWithExemplar(double value, Labels labels) { set(value); }
            @Override public double get() { return other.get().get(); }
        };
    }

    static DistributionDataPoint distribution(LazyPoint<DistributionDataPoint> other, CounterDataPoint dropped) {
        return new DistributionDataPoint() {
            @Override public void observe(double value) { other.get().observe(value); dropped.inc(); }
            @Override public void observeWithExemplar(double value, Labels labels) { observe(value); }
            @Override public long getCount() { return other.get().getCount(); }
            @Override public double getSum() { return other.get().getSum(); }
        };
    }
}

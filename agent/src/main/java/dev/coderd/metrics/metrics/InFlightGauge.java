package dev.coderd.metrics.metrics;

import io.prometheus.metrics.core.datapoints.GaugeDataPoint;

/**
 * A gauge data point for things in flight (requests, sessions): {@code inc} when one starts, {@code dec} when
 * it ends, and {@link #withdraw()} when an {@code inc} was made under a label set that turned out to be
 * provisional (a request first counted under {@code STATIC} whose framework then named its route).
 *
 * <p>A series appears once something ended in it or while something is in it; a series that only ever held
 * withdrawn increments stays hidden, so routing never leaves phantom {@code 0} series behind.
 */
public interface InFlightGauge extends GaugeDataPoint {
    /** Undoes one provisional {@code inc} without making the series visible. */
    void withdraw();
}

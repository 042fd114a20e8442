package dev.coderd.metrics.http;

import dev.coderd.metrics.metrics.ApiMetrics;
import dev.coderd.metrics.metrics.InFlightGauge;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Every {@code coderd_api_*} data point of one route, resolved once and then reused: after warm-up a request
 * costs two array reads and a short scan of the status codes seen, no map lookup and no allocation.
 */
final class RouteSeries {
    final String path;
    private final ApiMetrics metrics;
    private final AtomicReferenceArray<DistributionDataPoint> latency = new AtomicReferenceArray<>(HttpMethods.COUNT);
    private final AtomicReferenceArray<InFlightGauge> concurrent = new AtomicReferenceArray<>(HttpMethods.COUNT);
    private final AtomicReferenceArray<StatusCounters> processed = new AtomicReferenceArray<>(HttpMethods.COUNT);

    RouteSeries(String path, ApiMetrics metrics) {
        this.path = path;
        this.metrics = metrics;
    }

    DistributionDataPoint latency(int method) {
        DistributionDataPoint point = latency.get(method);
        if (point == null) {
            point = metrics.latencies.get(HttpMethods.NAMES[method], path);
            latency.set(method, point);
        }
        return point;
    }

    InFlightGauge concurrent(int method) {
        InFlightGauge point = concurrent.get(method);
        if (point == null) {
            point = metrics.concurrentRequests.get(HttpMethods.NAMES[method], path);
            concurrent.set(method, point);
        }
        return point;
    }

    CounterDataPoint processed(int method, int status) {
        StatusCounters counters = processed.get(method);
        if (counters == null) {
            processed.compareAndSet(method, null, new StatusCounters());
            counters = processed.get(method);
        }
        return counters.get(status, method);
    }

    /** The counters of one method by status code: few codes per route, so a copy-on-write array scan. */
    private final class StatusCounters {
        private volatile int[] codes = new int[0];
        private volatile CounterDataPoint[] points = new CounterDataPoint[0];

        CounterDataPoint get(int status, int method) {
            int[] c = codes;
            CounterDataPoint[] p = points;
            for (int i = 0; i < c.length && i < p.length; i++) {
                if (c[i] == status) {
                    return p[i];
                }
            }
            return add(status, method);
        }

        private synchronized CounterDataPoint add(int status, int method) {
            int[] c = codes;
            for (int i = 0; i < c.length; i++) {
                if (c[i] == status) {
                    return points[i];
                }
            }
            CounterDataPoint point = metrics.processed.get(Integer.toString(status), HttpMethods.NAMES[method], path);
            int n = c.length;
            CounterDataPoint[] p = Arrays.copyOf(points, n + 1);
            p[n] = point;
            int[] grown = Arrays.copyOf(c, n + 1);
            grown[n] = status;
            points = p; // points first: a reader that sees the new codes also sees the new points
            codes = grown;
            return point;
        }
    }
}

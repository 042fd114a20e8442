package dev.coderd.metrics.db;

import dev.coderd.metrics.metrics.DbMetrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every {@code coderd_db_sql_*} data point of one query summary, resolved once: the latency histogram's point
 * and one counter per route it ran under. The routes of a query are few, so they are a copy-on-write array
 * scanned by identity first (route templates are the same {@code String} instances each time); past
 * {@value #SCANNED} routes a map takes the rest.
 */
final class QuerySeries {
    static final int SCANNED = 16;

    final String query;
    final DistributionDataPoint latency;
    private final DbMetrics metrics;
    private volatile String[] routes = new String[0];
    private volatile CounterDataPoint[] counters = new CounterDataPoint[0];
    private final ConcurrentHashMap<String, CounterDataPoint> more = new ConcurrentHashMap<>();

    QuerySeries(String query, DbMetrics metrics) {
        this.query = query;
        this.metrics = metrics;
        this.latency = metrics.latencies.get(query);
    }

    CounterDataPoint executed(String route) {
        String[] r = routes;
        CounterDataPoint[] c = counters;
        int n = Math.min(r.length, c.length);
        for (int i = 0; i < n; i++) {
            if (r[i] == route) {
                return c[i];
            }
        }
        for (int i = 0; i < n; i++) {
            if (r[i].equals(route)) {
                return c[i];
            }
        }
        return n < SCANNED ? add(route) : more.computeIfAbsent(route, k -> metrics.queries.get(query, k));
    }

    private synchronized CounterDataPoint add(String route) {
        String[] r = routes;
        for (int i = 0; i < r.length; i++) {
            if (r[i].equals(route)) {
                return counters[i];
            }
        }
        if (r.length >= SCANNED) {
            return more.computeIfAbsent(route, k -> metrics.queries.get(query, k));
        }
        CounterDataPoint point = metrics.queries.get(query, route);
        CounterDataPoint[] c = Arrays.copyOf(counters, r.length + 1);
        c[r.length] = point;
        String[] grown = Arrays.copyOf(r, r.length + 1);
        grown[r.length] = route;
        counters = c; // counters first: a reader that sees the new route also sees its counter
        routes = grown;
        return point;
    }
}

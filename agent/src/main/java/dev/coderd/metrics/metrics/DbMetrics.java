package dev.coderd.metrics.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * The database families of the metrics contract: {@code coderd_db_sql_*} per statement execution, and the
 * {@code go_sql_*} connection-pool families (Go's {@code database/sql} collector names, so Coder's dashboards
 * work unchanged), read from the pools at scrape time.
 *
 * <pre>
 * # HELP coderd_db_sql_queries_executed_total The total number of executed SQL queries
 * # TYPE coderd_db_sql_queries_executed_total counter
 * coderd_db_sql_queries_executed_total{query="SELECT users",route="/api/v2/users/{user}"} 17.0
 * # HELP coderd_db_sql_query_latencies_ms Latency distribution of SQL queries in milliseconds
 * # TYPE coderd_db_sql_query_latencies_ms histogram
 * coderd_db_sql_query_latencies_ms_bucket{query="SELECT users",le="1.0"} 17
 * # HELP go_sql_in_use_connections The number of connections currently in use.
 * # TYPE go_sql_in_use_connections gauge
 * go_sql_in_use_connections{db_name="coderd"} 2.0
 * </pre>
 *
 * Statements are recorded by {@link dev.coderd.metrics.db.DbRecorder} (fed by
 * {@code instrumentation/jdbc}); pools by {@link dev.coderd.metrics.db.PoolRecorder} (fed by
 * {@code instrumentation/jdbc/hikari}).
 */
public final class DbMetrics {
    public static final String QUERIES_EXECUTED = "coderd_db_sql_queries_executed_total";
    public static final String QUERIES_EXECUTED_HELP = "The total number of executed SQL queries";
    public static final String QUERY_LATENCIES = "coderd_db_sql_query_latencies_ms";
    public static final String QUERY_LATENCIES_HELP = "Latency distribution of SQL queries in milliseconds";

    static final double[] LATENCY_BUCKETS_MS = {0.1, 0.5, 1, 5, 10, 25, 50, 100, 500, 1000, 5000, 10000, 30000};

    /** The {@code go_sql_*} families: one series per pool, labelled {@code db_name}. */
    public enum PoolStat {
        MAX_OPEN("go_sql_max_open_connections", "Maximum number of open connections to the database.", false),
        OPEN("go_sql_open_connections", "The number of established connections both in use and idle.", false),
        IN_USE("go_sql_in_use_connections", "The number of connections currently in use.", false),
        IDLE("go_sql_idle_connections", "The number of idle connections.", false),
        WAIT_COUNT("go_sql_wait_count_total", "The total number of connections waited for.", true),
        WAIT_DURATION("go_sql_wait_duration_seconds_total", "The total time blocked waiting for a new connection.", true),
        MAX_IDLE_CLOSED("go_sql_max_idle_closed_total",
                "The total number of connections closed due to SetMaxIdleConns.", true),
        MAX_IDLE_TIME_CLOSED("go_sql_max_idle_time_closed_total",
                "The total number of connections closed due to SetConnMaxIdleTime.", true),
        MAX_LIFETIME_CLOSED("go_sql_max_lifetime_closed_total",
                "The total number of connections closed due to SetConnMaxLifetime.", true);

        public final String family;
        public final String help;
        final boolean counter;

        PoolStat(String family, String help, boolean counter) {
            this.family = family;
            this.help = help;
            this.counter = counter;
        }
    }

    /** One pool as the {@code go_sql_*} families read it at scrape time. */
    public interface PoolReading {
        /** The {@code db_name} label: the pool's name. */
        String dbName();

        /** The stat's value now, or NaN when this pool cannot measure it (the series is then left out). */
        double value(PoolStat stat);
    }

    public final SeriesLimiter<CounterDataPoint> queries;
    public final SeriesLimiter<DistributionDataPoint> latencies;

    /** {@code pools} lists the open pools (distinct names) each time a pool family is scraped. */
    public DbMetrics(AgentRegistry registry, Supplier<? extends Collection<? extends PoolReading>> pools) {
        queries = registry.limitedCounter(QUERIES_EXECUTED, QUERIES_EXECUTED_HELP, "query", "route");
        latencies = registry.limitedHistogram(QUERY_LATENCIES, QUERY_LATENCIES_HELP, LATENCY_BUCKETS_MS, "query");
        for (PoolStat stat : PoolStat.values()) {
            if (stat.counter) {
                CounterWithCallback.builder(registry.properties()).name(stat.family).help(stat.help).labelNames("db_name")
                        .callback(callback -> read(pools, stat, callback::call)).register(registry.registry());
            } else {
                GaugeWithCallback.builder(registry.properties()).name(stat.family).help(stat.help).labelNames("db_name")
                        .callback(callback -> read(pools, stat, callback::call)).register(registry.registry());
            }
        }
    }

    private interface Sink {
        void call(double value, String... labels);
    }

    private static void read(Supplier<? extends Collection<? extends PoolReading>> pools, PoolStat stat, Sink sink) {
        for (PoolReading pool : pools.get()) {
            double value = pool.value(stat);
            if (!Double.isNaN(value)) {
                sink.call(value, pool.dbName());
            }
        }
    }
}

package dev.coderd.metrics.sqlgauge;

import dev.coderd.metrics.context.Clock;
import dev.coderd.metrics.log.AgentLog;
import dev.coderd.metrics.metrics.SqlGaugeMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Runs the SQL gauges' queries on one agent thread (whose statements no {@code coderd_db_*} family counts) and
 * keeps each gauge's family, built from its latest successful run, for scrapes to read without waiting.
 *
 * <ul>
 *   <li>Each gauge runs every {@code interval}; a round borrows one connection for the gauges that are due and
 *       gives it back as it found it (a transaction it had to open is rolled back).</li>
 *   <li>A failed run leaves the gauge absent (never stale), counts in
 *       {@code coderd_metrics_agent_sql_query_failures_total}, and is retried after 2, 4, ... up to 32 intervals;
 *       one log line names the gauges that began failing in a round, another the ones that recovered.</li>
 *   <li>Statement timeout {@code timeout}; at most {@code maxRows} rows (the series limit) per query.</li>
 *   <li>Before the application used its data source there is nothing to run on: no run, no failure. A pool
 *       known to have fewer than two idle connections is left alone for that round (a request never waits for a
 *       gauge).</li>
 * </ul>
 */
public final class SqlGaugeRunner implements MultiCollector {
    private static final int MAX_BACKOFF_SHIFT = 5;
    /** How soon a round that found no connection asks again. */
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final List<SqlGauge> gauges;
    private final ConnectionSource source;
    private final long intervalNanos;
    private final int timeoutSeconds;
    private final int maxRows;
    private final SqlGaugeMetrics metrics;
    private final Clock clock;
    private final LongSupplier wallMillis;
    private final AtomicReferenceArray<MetricSnapshot> families;

    // owner-thread state
    private final long[] due;
    private final int[] failures;

    public SqlGaugeRunner(List<SqlGauge> gauges, ConnectionSource source, Duration interval, Duration timeout, int maxRows,
                          SqlGaugeMetrics metrics, Clock clock, LongSupplier wallMillis) {
        this.gauges = List.copyOf(gauges);
        this.source = source;
        this.intervalNanos = interval.toNanos();
        this.timeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1000));
        this.maxRows = maxRows;
        this.metrics = metrics;
        this.clock = clock;
        this.wallMillis = wallMillis;
        this.families = new AtomicReferenceArray<>(gauges.size());
        this.due = new long[gauges.size()];
        this.failures = new int[gauges.size()];
        long now = clock.nanoTime();
        java.util.Arrays.fill(due, now);
    }

    /** Runs the gauges on the calling thread, an agent thread, for as long as the JVM lives. */
    public void runForever() {
        boolean told = false;
        while (true) {
            long next;
            try {
                next = runDue();
            } catch (RuntimeException | LinkageError e) { // a driver's surprise: the gauges go on at the next interval
                if (!told) {
                    AgentLog.error("SQL gauges: a round failed unexpectedly; the next one runs as planned", e);
                    told = true;
                }
                next = clock.nanoTime() + intervalNanos;
            }
            LockSupport.parkNanos(Math.max(1_000_000L, next - clock.nanoTime()));
        }
    }

    /** One round: runs the gauges that are due; answers when the next one is. */
    long runDue() {
        long now = clock.nanoTime();
        List<Integer> ready = new ArrayList<>();
        for (int i = 0; i < gauges.size(); i++) {
            if (due[i] - now <= 0) {
                ready.add(i);
            }
        }
        if (!ready.isEmpty()) {
            run(ready, now);
        }
        long next = now + intervalNanos;
        for (long d : due) {
            next = d - next < 0 ? d : next;
        }
        return next;
    }

    private void run(List<Integer> ready, long now) {
        List<String> failed = new ArrayList<>();
        List<String> recovered = new ArrayList<>();
        Connection c;
        try {
            c = source.open();
        } catch (SQLException | RuntimeException e) {
            for (int i : ready) {
                fail(i, now, failed);
            }
            report(failed, "cannot get a connection from " + source.describe() + ": " + message(e), recovered);
            return;
        }
        if (c == null) { // nothing to run on yet, or no connection to spare: asked again soon
            for (int i : ready) {
                due[i] = now + Math.min(intervalNanos, RECHECK_NANOS);
            }
            return;
        }
        String why = null;
        int handled = 0; // the ready gauges before this one have run, or failed
        try {
            boolean autoCommit = c.getAutoCommit();
            while (handled < ready.size()) {
                int i = ready.get(handled);
                try {
                    families.set(i, query(c, gauges.get(i)));
                    if (failures[i] > 0) {
                        recovered.add(gauges.get(i).name());
                    }
                    failures[i] = 0;
                    due[i] = now + intervalNanos;
                    handled++;
                } catch (SQLException | RuntimeException e) {
                    fail(i, now, failed);
                    handled++;
                    why = why == null ? message(e) : why;
                    if (!autoCommit) {
                        c.rollback(); // PostgreSQL refuses anything more in a transaction that saw an error
                    }
                }
            }
            if (!autoCommit) {
                c.rollback();
            }
        } catch (SQLException | RuntimeException e) { // the connection itself failed: the rest of the round fails with it
            why = why == null ? message(e) : why;
            for (; handled < ready.size(); handled++) {
                fail(ready.get(handled), now, failed);
            }
        } finally {
            try {
                source.release(c);
            } catch (SQLException | RuntimeException ignored) {
                // a pool's connection that cannot be given back is the pool's to recover
            }
        }
        report(failed, why, recovered);
    }

    private void fail(int i, long now, List<String> failed) {
        families.set(i, null);
        metrics.failed(gauges.get(i).name());
        if (failures[i]++ == 0) {
            failed.add(gauges.get(i).name());
        }
        due[i] = now + (intervalNanos << Math.min(failures[i], MAX_BACKOFF_SHIFT));
    }

    private static void report(List<String> failed, String why, List<String> recovered) {
        if (!failed.isEmpty()) {
            AgentLog.warn("SQL gauges " + String.join(", ", failed) + " failed (" + why
                    + "); absent until their queries succeed, retried with back-off");
        }
        if (!recovered.isEmpty()) {
            AgentLog.info("SQL gauges " + String.join(", ", recovered) + " succeed again");
        }
    }

    private MetricSnapshot query(Connection c, SqlGauge gauge) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(timeoutSeconds);
            s.setMaxRows(gauge.labels().isEmpty() ? 1 : maxRows);
            try (ResultSet rows = s.executeQuery(gauge.query())) {
                ResultSetMetaData meta = rows.getMetaData();
                int valueColumn = gauge.value() == null ? 1 : column(meta, gauge.value());
                int[] labelColumns = new int[gauge.labels().size()];
                for (int l = 0; l < labelColumns.length; l++) {
                    labelColumns[l] = column(meta, gauge.labels().get(l));
                }
                long now = wallMillis.getAsLong();
                List<String[]> labelValues = new ArrayList<>();
                List<Double> values = new ArrayList<>();
                Set<List<String>> seen = new HashSet<>();
                while (rows.next() && values.size() < maxRows) {
                    double v = gauge.kind().read(rows, valueColumn, now);
                    String[] lv = new String[labelColumns.length];
                    for (int l = 0; l < lv.length; l++) {
                        String text = rows.getString(labelColumns[l]);
                        lv[l] = text == null ? "" : text;
                    }
                    if (!Double.isNaN(v) && seen.add(List.of(lv))) { // a NULL value is no point; a repeated label set, the first row's
                        labelValues.add(lv);
                        values.add(v);
                    }
                }
                if (values.isEmpty()) {
                    return null;
                }
                double[] vs = values.stream().mapToDouble(Double::doubleValue).toArray();
                return SqlGaugeMetrics.family(gauge.name(), gauge.help(), gauge.labels().toArray(new String[0]), labelValues, vs);
            }
        }
    }

    private static int column(ResultSetMetaData meta, String name) throws SQLException {
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            if (meta.getColumnLabel(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new SQLException("the query has no column " + name.toLowerCase(Locale.ROOT));
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        m = m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("");
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }

    @Override
    public MetricSnapshots collect() {
        MetricSnapshots.Builder b = MetricSnapshots.builder();
        for (int i = 0; i < families.length(); i++) {
            MetricSnapshot f = families.get(i);
            if (f != null) {
                b.metricSnapshot(f);
            }
        }
        return b.build();
    }

    @Override
    public List<String> getPrometheusNames() {
        return gauges.stream().map(SqlGauge::name).toList();
    }
}

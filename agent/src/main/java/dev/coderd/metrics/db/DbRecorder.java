package dev.coderd.metrics.db;

import dev.coderd.metrics.context.CallDepth;
import dev.coderd.metrics.context.Clock;
import dev.coderd.metrics.context.RequestContext;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.DbMetrics;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns statement executions into {@code coderd_db_sql_queries_executed_total{query,route}} and
 * {@code coderd_db_sql_query_latencies_ms{query}}: the one place where SQL becomes data points. Fed by the
 * JDBC instrumentation ({@code instrumentation/jdbc}).
 *
 * <pre>
 * long start = recorder.start();      // Statement.execute* entered: the time when outermost on this thread
 * ...                                 // a pool proxy's execute calling the driver's: nested, not measured
 * recorder.end(start, "SELECT * FROM users WHERE id = ?");   // counted once, latency observed
 * </pre>
 *
 * <p>Count once: one {@link CallDepth} for statements, so a pool proxy delegating to the driver, a wrapper,
 * and whatever the driver runs inside an execution (or inside a liveness check, {@link #enterInternal()})
 * count as nothing of their own. {@code route} is the shared {@link RequestContext}'s, {@code ""} outside a
 * request. Allocation budget: none once a SQL text's summary is cached and its query has run once under
 * the route (a {@code ConcurrentHashMap} hit for the summary, one for the query's {@link QuerySeries}, an
 * identity scan of its routes, two adder updates); no locks.
 */
public final class DbRecorder {
    /** {@link #start()}'s answer for an execution that is not measured (nested, or internal). */
    public static final long NESTED = Long.MIN_VALUE + 1;

    private final DbMetrics metrics;
    private final SqlSummarizer summaries;
    private final RequestContext context;
    private final Clock clock;
    private final int queryLimit;
    private final CallDepth statements = new CallDepth();
    private final ConcurrentHashMap<String, QuerySeries> queries = new ConcurrentHashMap<>();

    public DbRecorder(DbMetrics metrics, SqlSummarizer summaries, int queryLimit, RequestContext context, Clock clock) {
        this.metrics = metrics;
        this.summaries = summaries;
        this.queryLimit = queryLimit;
        this.context = context;
        this.clock = clock;
    }

    /** A statement execution begins: its start time when it is the outermost on this thread, else {@link #NESTED}. */
    public long start() {
        return statements.enter() ? clock.nanoTime() : NESTED;
    }

    /** Whether this thread is inside a statement execution or the driver's or pool's own work. */
    public boolean insideJdbc() {
        return statements.get() > 0;
    }

    /** The driver or pool works for itself: executions inside are not the application's and do not count. */
    public long enterInternal() {
        statements.enter();
        return NESTED;
    }

    /**
     * Ends what {@link #start()} or {@link #enterInternal()} began; a measured execution ({@code start} is not
     * {@link #NESTED}) counts under {@code sql}'s summary (null: {@code OTHER}), failed or not.
     */
    public void end(long start, String sql) {
        statements.exit();
        if (start == NESTED) {
            return;
        }
        long elapsed = clock.nanoTime() - start;
        QuerySeries series = series(summaries.summarize(sql));
        series.executed(context.route()).inc();
        series.latency.observe(elapsed / 1e6);
    }

    private QuerySeries series(String query) {
        QuerySeries series = queries.get(query);
        if (series == null) {
            if (queries.size() >= queryLimit) {
                return new QuerySeries(query, metrics); // the families' own limits still hold; only the cache is full
            }
            series = queries.computeIfAbsent(query, q -> new QuerySeries(q, metrics));
        }
        return series;
    }

    /**
     * Runs one execution through a throwaway recorder, so that the recording path's classes are loaded before
     * the application's first statement rather than inside its latency.
     */
    public static void warmUp() {
        DbRecorder scratch = new DbRecorder(new DbMetrics(new AgentRegistry(10), List::of), new SqlSummarizer(10), 10,
                new RequestContext(), Clock.SYSTEM);
        scratch.end(scratch.start(), "SELECT * FROM warm_up");
    }
}

package dev.coderd.bench;

import dev.coderd.metrics.context.Clock;
import dev.coderd.metrics.context.RequestContext;
import dev.coderd.metrics.db.DbRecorder;
import dev.coderd.metrics.db.PoolRecorder;
import dev.coderd.metrics.db.SqlSummarizer;
import dev.coderd.metrics.instrumentation.jdbc.DatabaseHook;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.DbMetrics;
import dev.coderd.metrics.sqlgauge.AppDataSource;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;


/**
 * What the agent adds to one statement execution, as the JDBC advice drives it: the outermost execute enter,
 * a pool proxy's nested call to the driver's statement, then the end: the SQL's summary from the cache, the
 * counter of its query and route, the latency histogram.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar JdbcRecordingBenchmark -prof gc
 * </pre>
 *
 * {@code gc.alloc.rate.norm} is the agent's allocation per execution (the budget is zero).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class JdbcRecordingBenchmark {
    static final String SQL = "SELECT id, username, last_seen_at FROM users WHERE username = $1 AND deleted = false";

    private DbRecorder recorder;
    private RequestContext requests;
    private DatabaseHook hook;
    private final DataSource dataSource = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
            new Class<?>[] {DataSource.class}, (proxy, method, args) -> null);

    @Setup
    public void setUp() {
        requests = new RequestContext();
        recorder = new DbRecorder(new DbMetrics(new AgentRegistry(2000), List::of), new SqlSummarizer(1024), 2000,
                requests, Clock.SYSTEM);
        hook = new DatabaseHook(recorder, new PoolRecorder(10, Clock.SYSTEM), new AppDataSource());
        dataSourceBorrow(); // the first borrow names the application's data source; the benchmark measures the rest
    }

    /** A prepared statement through a pool proxy, inside a request. */
    @Benchmark
    public long proxiedStatementInARequest() {
        requests.enter("/api/v2/users/{user}");
        long proxy = recorder.start();
        long driver = recorder.start();
        recorder.end(driver, null);
        recorder.end(proxy, SQL);
        requests.exit();
        return proxy;
    }

    /** A statement straight on the driver, outside any request. */
    @Benchmark
    public long driverStatement() {
        long start = recorder.start();
        recorder.end(start, SQL);
        return start;
    }

    /**
     * A borrow from the application's data source once the SQL gauges know it: {@code DataSourceAdvice}'s enter
     * and exit through the hook (a thread-local depth, a volatile read).
     */
    @Benchmark
    public boolean dataSourceBorrow() {
        boolean outermost = hook.dataSourceEnter();
        hook.dataSourceExit(outermost, dataSource, true);
        return outermost;
    }

    /** Two threads executing the same query: contention on the shared data points. */
    @Benchmark
    @Threads(2)
    public long proxiedStatementTwoThreads() {
        return proxiedStatementInARequest();
    }
}

package dev.coderd.metrics.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.context.RequestContext;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.DbMetrics;
import dev.coderd.metrics.metrics.Expositions;
import java.util.List;
import org.junit.jupiter.api.Test;

class DbRecorderTest {
    private final AgentRegistry registry = new AgentRegistry(2000);
    private final RequestContext context = new RequestContext();
    private final long[] now = {5_000_000_000L};
    private final DbRecorder recorder = new DbRecorder(new DbMetrics(registry, List::of), new SqlSummarizer(100), 2000,
            context, () -> now[0]);

    private void execute(String sql, long micros) {
        long start = recorder.start();
        now[0] += micros * 1000;
        recorder.end(start, sql);
    }

    @Test
    void eachExecutionCountsUnderItsSummaryAndTheRouteOfTheRequestItRunsIn() {
        context.enter("/api/v2/users/{user}");
        execute("SELECT * FROM users WHERE username = ?", 300);
        execute("select * from USERS where id = $1", 300);
        execute("UPDATE users SET last_seen_at = now() WHERE id = ?", 2_000);
        context.exit();
        execute("SELECT * FROM users WHERE username = ?", 300); // a background job
        execute(null, 1);
        execute("SELEKT", 1);

        assertThat(Expositions.text(registry.registry(), DbMetrics.QUERIES_EXECUTED)).isEqualTo("""
                # HELP coderd_db_sql_queries_executed_total The total number of executed SQL queries
                # TYPE coderd_db_sql_queries_executed_total counter
                coderd_db_sql_queries_executed_total{query="OTHER",route=""} 2.0
                coderd_db_sql_queries_executed_total{query="SELECT users",route=""} 1.0
                coderd_db_sql_queries_executed_total{query="SELECT users",route="/api/v2/users/{user}"} 2.0
                coderd_db_sql_queries_executed_total{query="UPDATE users",route="/api/v2/users/{user}"} 1.0
                """);
    }

    @Test
    void latencyIsObservedInFractionalMillisecondsInTheContractsBuckets() {
        execute("SELECT * FROM workspaces", 300);   // 0.3 ms: le=0.5
        execute("SELECT * FROM workspaces", 7_000); // 7 ms: le=10
        assertThat(Expositions.text(registry.registry(), DbMetrics.QUERY_LATENCIES)).isEqualTo("""
                # HELP coderd_db_sql_query_latencies_ms Latency distribution of SQL queries in milliseconds
                # TYPE coderd_db_sql_query_latencies_ms histogram
                coderd_db_sql_query_latencies_ms_bucket{query="SELECT workspaces",le="0.1"} 0
                coderd_db_sql_query_latencies_ms_bucket{query="SELECT workspaces",le="0.5"} 1
                coderd_db_sql_query_latencies_ms_bucket{query="SELECT workspaces",le="1.0"} 1
                coderd_db_sql_query_latencies_ms_bucket{query="SELECT workspaces",le="5.0"} 1
                coderd_db_sql_query_latencies_ms_bucket{query="SELECT workspaces",le="10.0"} 2
                coderd_db_sql_query_latencies_ms_bucket{query="SELECT workspaces",le="25.0"} 2
                coderd_db_sql_query_latencies_ms_bucket{query="SELECT workspaces",le="50.0"} 2
                coderd_db_sql_query_latencies_ms_bucket{query="SELECT workspaces",le="100.0"} 2
                coderd_db_sql_query_latencies_ms_bucket{query="SELECT workspaces",le="500.0"} 2
                coderd_db_sql_query_latencies_ms_bucket{query="SELECT workspaces",le="1000.0"} 2
                coderd_db_sql_query_latencies_ms_bucket{query="SELECT workspaces",le="5000.0"} 2
                coderd_db_sql_query_latencies_ms_bucket{query="SELECT workspaces",le="10000.0"} 2
                coderd_db_sql_query_latencies_ms_bucket{query="SELECT workspaces",le="30000.0"} 2
                coderd_db_sql_query_latencies_ms_bucket{query="SELECT workspaces",le="+Inf"} 2
                coderd_db_sql_query_latencies_ms_count{query="SELECT workspaces"} 2
                coderd_db_sql_query_latencies_ms_sum{query="SELECT workspaces"} 7.3
                """);
    }

    @Test
    void nestedAndInternalExecutionsCountNothingOfTheirOwn() {
        long proxy = recorder.start();             // a pool proxy's executeQuery ...
        long driver = recorder.start();            // ... calling the driver's
        long metadata = recorder.start();          // ... which runs its own query
        recorder.end(metadata, "SELECT * FROM pg_type");
        recorder.end(driver, null);
        now[0] += 1_000_000;
        recorder.end(proxy, "SELECT * FROM users");

        long check = recorder.enterInternal();     // Connection.isValid ...
        long inside = recorder.start();            // ... runs a statement
        recorder.end(inside, "");
        recorder.end(check, null);

        assertThat(Expositions.text(registry.registry(), DbMetrics.QUERIES_EXECUTED)).isEqualTo("""
                # HELP coderd_db_sql_queries_executed_total The total number of executed SQL queries
                # TYPE coderd_db_sql_queries_executed_total counter
                coderd_db_sql_queries_executed_total{query="SELECT users",route=""} 1.0
                """);
        execute("SELECT * FROM users", 1); // and the depth is back to zero
        assertThat(Expositions.text(registry.registry(), DbMetrics.QUERIES_EXECUTED))
                .contains("coderd_db_sql_queries_executed_total{query=\"SELECT users\",route=\"\"} 2.0");
    }

    @Test
    void manyRoutesOfOneQueryEachGetTheirCounter() {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < QuerySeries.SCANNED + 5; i++) {
                context.enter("/api/v2/r" + i);
                execute("SELECT * FROM users", 1);
            }
        }
        String text = Expositions.text(registry.registry(), DbMetrics.QUERIES_EXECUTED);
        assertThat(text.lines().filter(l -> l.endsWith(" 2.0")).count()).isEqualTo(QuerySeries.SCANNED + 5);
    }
}

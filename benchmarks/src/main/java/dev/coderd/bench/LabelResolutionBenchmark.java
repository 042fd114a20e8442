package dev.coderd.bench;

import dev.coderd.metrics.config.RouteTemplates;
import dev.coderd.metrics.db.SqlSummarizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two label resolutions of the hot paths that are not cache hits: a configured route template matched
 * against a request path (every request on a server without its own templates), and a SQL text summarised the
 * first time it is seen (afterwards the summary is a cache hit, measured by {@code JdbcRecordingBenchmark}).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar LabelResolutionBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LabelResolutionBenchmark {
    private RouteTemplates templates;
    private SqlSummarizer summarizer;

    @Setup
    public void setUp() {
        List<String> routes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            routes.add("/api/v2/resource" + i + "/{id}");
        }
        routes.add("/api/v2/users/{user}");
        routes.add("/api/v2/files/*");
        templates = RouteTemplates.of(routes);
        summarizer = new SqlSummarizer(1); // a cache of one entry: alternating texts always miss
    }

    /** 52 configured templates, a path that matches one of them. */
    @Benchmark
    public String routeTemplateMatch() {
        return templates.match("/api/v2/users/alice");
    }

    /** A path that matches none: the request falls back to its servlet mapping. */
    @Benchmark
    public String routeTemplateMiss() {
        return templates.match("/assets/app.js");
    }

    private int flip;

    /** A SQL text summarised from scratch (alternating two texts through a one-entry cache). */
    @Benchmark
    public String sqlSummaryUncached() {
        return summarizer.summarize((flip++ & 1) == 0
                ? "SELECT w.id, w.name FROM workspaces w JOIN users u ON u.id = w.owner_id WHERE u.username = ?"
                : "WITH recent AS (SELECT * FROM workspace_builds WHERE created_at > now() - interval '1 day') "
                        + "SELECT count(*) FROM recent");
    }
}

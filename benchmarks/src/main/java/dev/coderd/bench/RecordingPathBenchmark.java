package dev.coderd.bench;

import dev.coderd.metrics.context.Clock;
import dev.coderd.metrics.context.RequestContext;
import dev.coderd.metrics.http.HttpRecorder;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.ApiMetrics;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the agent adds to one request, as the advice drives it: the outermost servlet enter, one nested
 * filter, the Spring route template, the exits and the end (counter, histogram, gauge up and down).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RecordingPathBenchmark -prof gc
 * </pre>
 *
 * {@code gc.alloc.rate.norm} is the agent's allocation per request (the budget is zero).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class RecordingPathBenchmark {
    private HttpRecorder recorder;

    @Setup
    public void setUp() {
        recorder = new HttpRecorder(new ApiMetrics(new AgentRegistry(2000)), List.of("/api/v2/files/*"), 2000,
                new RequestContext(), Clock.SYSTEM);
    }

    @Benchmark
    public Object springRequest() {
        if (!recorder.enterDispatch()) {
            throw new IllegalStateException("not outermost");
        }
        Object scope = recorder.startRequest(null, "GET", "/api/v2/users/alice", "/", null);
        recorder.enterDispatch();
        recorder.routeTemplate("/api/v2/users/{user}");
        recorder.exitDispatch();
        recorder.exitDispatch();
        recorder.endDispatch(scope, 200, null);
        return scope;
    }

    @Benchmark
    public Object configuredTemplateRequest() {
        recorder.enterDispatch();
        Object scope = recorder.startRequest(null, "POST", "/api/v2/files/a/b.txt", "/api/v2/*", null);
        recorder.exitDispatch();
        recorder.endDispatch(scope, 201, null);
        return scope;
    }

    /** Two threads recording the same route: contention on the shared data points. */
    @Benchmark
    @Threads(2)
    public Object springRequestTwoThreads() {
        return springRequest();
    }
}

package dev.coderd.bench;

import dev.coderd.metrics.context.Clock;
import dev.coderd.metrics.jobs.JobRecorder;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.JobMetrics;
import java.util.List;
import java.util.concurrent.FutureTask;
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
 * What the agent adds to one job, as the thread-pool advice drives it, on one thread: the hand-over
 * ({@code submit}, {@code submitted}), the worker's start ({@code beforeExecute}: gauge down, started, enqueue
 * time) and its end ({@code afterExecute}: completed, execution time). Tasks rotate through 256 objects, so the
 * pending table sees distinct identities as in a real queue.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar JobRecordingPathBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED")
public class JobRecordingPathBenchmark {
    static final class ReportJob implements Runnable {
        @Override
        public void run() {}
    }

    private JobRecorder recorder;
    private final Object[] tasks = new Object[256];
    private final Object[] futures = new Object[256];
    private int next;

    @Setup
    public void setUp() {
        recorder = new JobRecorder(new JobMetrics(new AgentRegistry(2000)), List.of(), List.of("java."), List.of(),
                2000, 16384, null, Clock.SYSTEM);
        for (int i = 0; i < tasks.length; i++) {
            tasks[i] = new ReportJob();
            futures[i] = new FutureTask<>((Runnable) tasks[i], null);
        }
    }

    private Object job(Object task) {
        recorder.submitted(task, recorder.submit(null, task), null);
        recorder.beforeExecute(task);
        recorder.afterExecute(task, null);
        return task;
    }

    @Benchmark
    public Object executedTask() {
        return job(tasks[next++ & 255]);
    }

    /** A {@code submit}ted task: the recorder reads the job through its {@code FutureTask}. */
    @Benchmark
    public Object submittedFuture() {
        return job(futures[next++ & 255]);
    }

    /** Two threads recording jobs of one type: contention on the shared data points and the table. */
    @State(Scope.Thread)
    public static class PerThread {
        final Object[] tasks = new Object[256];
        int next;

        @Setup
        public void setUp() {
            for (int i = 0; i < tasks.length; i++) {
                tasks[i] = new ReportJob();
            }
        }
    }

    @Benchmark
    @Threads(2)
    public Object executedTaskTwoThreads(PerThread local) {
        return job(local.tasks[local.next++ & 255]);
    }
}

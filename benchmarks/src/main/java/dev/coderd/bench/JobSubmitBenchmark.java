package dev.coderd.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Submit-and-run on a real {@code ThreadPoolExecutor}, the same workload with and without the agent: each
 * invocation hands {@value #BATCH} tasks (objects of a named class, not lambdas) to a one-thread pool whose
 * worker is held by a gate task, queues the next gate behind them, opens the gate and waits until the worker
 * ran them all; the score is per task, hand-over plus run. (The worker always has a gate to wait at, so it
 * never parks: a park and wake-up per batch would measure the scheduler rather than the pool.) The
 * {@code withAgent} forks run with
 * {@code -javaagent:agent/target/coderd-metrics-agent.jar}, so run it from the repository root:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar JobSubmitBenchmark -prof gc
 * </pre>
 *
 * The difference of {@code withAgent} and {@code withoutAgent} is what the agent adds to one task (its hand-over,
 * start and completion); {@code gc.alloc.rate.norm} shows the bytes per task (a {@code submit} allocates its
 * {@code FutureTask} with or without the agent).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
public class JobSubmitBenchmark {
    static final int BATCH = 2000;
    private static final String AGENT = "-javaagent:agent/target/coderd-metrics-agent.jar=port=29199";

    /** The job: a named class, as {@code WorkspaceBuildJob} is. */
    static final class CountingJob implements Runnable {
        private final AtomicLong done;

        CountingJob(AtomicLong done) {
            this.done = done;
        }

        @Override
        public void run() {
            done.lazySet(done.get() + 1); // one writer: the pool's only worker
        }
    }

    /** Holds the pool's worker, spinning, until the batch is queued. */
    static final class Gate implements Runnable {
        volatile boolean open;

        @Override
        public void run() {
            while (!open) {
                Thread.onSpinWait();
                Thread.yield(); // on a busy machine, let the producer have the core
            }
        }
    }

    private final AtomicLong done = new AtomicLong();
    private final CountingJob[] jobs = new CountingJob[BATCH];
    private final Future<?>[] futures = new Future<?>[BATCH];
    private ExecutorService pool;
    private Gate gate;
    private long target;

    @Setup
    public void setUp() {
        for (int i = 0; i < BATCH; i++) {
            jobs[i] = new CountingJob(done);
        }
        ThreadPoolExecutor tpe = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        tpe.prestartAllCoreThreads();
        pool = tpe;
        gate = new Gate();
        pool.execute(gate);
    }

    @TearDown
    public void tearDown() throws InterruptedException {
        gate.open = true;
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Queues the next gate behind the batch, then lets the worker through the current one. */
    private void openGate() {
        Gate current = gate;
        gate = new Gate();
        pool.execute(gate);
        current.open = true;
    }

    private Object executeBatch() {
        target += BATCH;
        for (CountingJob job : jobs) {
            pool.execute(job);
        }
        openGate();
        while (done.get() < target) {
            Thread.onSpinWait();
            Thread.yield();
        }
        return pool;
    }

    private Object submitBatch() {
        target += BATCH;
        for (int i = 0; i < BATCH; i++) {
            futures[i] = pool.submit(jobs[i]);
        }
        openGate();
        while (done.get() < target) {
            Thread.onSpinWait();
            Thread.yield();
        }
        return futures;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Fork(2)
    public Object executeWithoutAgent() {
        return executeBatch();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Fork(value = 2, jvmArgsAppend = AGENT)
    public Object executeWithAgent() {
        return executeBatch();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Fork(2)
    public Object submitWithoutAgent() {
        return submitBatch();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Fork(value = 2, jvmArgsAppend = AGENT)
    public Object submitWithAgent() {
        return submitBatch();
    }
}

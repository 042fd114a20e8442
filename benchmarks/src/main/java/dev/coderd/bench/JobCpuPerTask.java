package dev.coderd.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * CPU per submitted-and-run task on a {@code ThreadPoolExecutor}, with and without the agent, in alternating
 * forked JVMs: the same workload as {@link JobSubmitBenchmark} (batches of tasks behind a gate, a one-thread
 * pool), but the score is the process's CPU time per task, which a busy machine disturbs far less than wall
 * time (the threads block instead of spinning, so waiting costs no CPU).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.coderd.bench.JobCpuPerTask [runs] [agent.jar]
 * </pre>
 */
public final class JobCpuPerTask {
    static final int BATCH = 2000;
    static final int WARM_UP_BATCHES = 300;
    static final int BATCHES = 1000;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child();
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path agent = Path.of(args.length > 1 ? args[1] : "agent/target/coderd-metrics-agent.jar");
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            double a = fork(null);
            double b = fork(agent);
            without.add(a);
            with.add(b);
            System.out.printf("run %d: without agent %.1f ns CPU per task, with agent %.1f ns%n", run, a, b);
        }
        double a = median(without);
        double b = median(with);
        System.out.printf("median CPU per task: without agent %.1f ns, with agent %.1f ns: agent +%.1f ns, %d tasks x %d runs each%n",
                a, b, b - a, BATCH * BATCHES, runs);
    }

    private static double fork(Path agent) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (agent != null) {
            cmd.add("-javaagent:" + agent + "=port=29198");
        }
        cmd.addAll(Arrays.asList("-cp", System.getProperty("java.class.path"), JobCpuPerTask.class.getName(), "child"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("cpu_ns_per_task ")) {
                    result = line.substring("cpu_ns_per_task ".length());
                }
            }
        }
        if (p.waitFor() != 0 || result == null) {
            throw new IllegalStateException("the measuring JVM failed: " + cmd);
        }
        return Double.parseDouble(result);
    }

    /** Holds the pool's worker until its batch is queued. */
    static final class Gate implements Runnable {
        final CountDownLatch open = new CountDownLatch(1);

        @Override
        public void run() {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Tells the producer that its batch ran. */
    static final class Done implements Runnable {
        final CountDownLatch done = new CountDownLatch(1);

        @Override
        public void run() {
            done.countDown();
        }
    }

    static final class CountingJob implements Runnable {
        long runs;

        @Override
        public void run() {
            runs++;
        }
    }

    private static void child() throws Exception {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        pool.prestartAllCoreThreads();
        CountingJob[] jobs = new CountingJob[BATCH];
        for (int i = 0; i < BATCH; i++) {
            jobs[i] = new CountingJob();
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        batches(pool, jobs, WARM_UP_BATCHES);
        long cpu0 = os.getProcessCpuTime();
        batches(pool, jobs, BATCHES);
        long cpu = os.getProcessCpuTime() - cpu0;
        pool.shutdown();
        System.out.printf("cpu_ns_per_task %.2f%n", cpu / (double) (BATCH * BATCHES));
        System.exit(0);
    }

    private static void batches(ThreadPoolExecutor pool, CountingJob[] jobs, int n) throws InterruptedException {
        for (int b = 0; b < n; b++) {
            Gate gate = new Gate();
            Done done = new Done();
            pool.execute(gate);
            for (CountingJob job : jobs) {
                pool.execute(job);
            }
            pool.execute(done);
            gate.open.countDown();
            done.done.await();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}

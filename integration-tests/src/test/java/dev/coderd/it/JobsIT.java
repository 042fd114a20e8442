package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.fixtures.JobsFixture;
import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code coderd_backgroundjob_*} and {@code coderd_background_workspace_build_duration_s} from the JDK's real
 * executors ({@link JobsFixture}, forked with the agent on JDK 17 and JDK 25): exact counts per type, the
 * current-enqueued gauge on a blocked pool, enqueue time behind a slow job and after a delay, failing builds,
 * rejected and drained tasks, 10,000 virtual-thread tasks, and no job of the JDK HTTP server that drives it all.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.coderd.it.support.Jdk#all")
class JobsIT {
    static final String ENQUEUED = "coderd_backgroundjob_enqueued_total";
    static final String STARTED = "coderd_backgroundjob_started_total";
    static final String COMPLETED = "coderd_backgroundjob_completed_total";
    static final String CURRENT = "coderd_backgroundjob_current_enqueued_jobs";
    static final String ENQUEUE_TIME = "coderd_backgroundjob_enqueue_time_seconds";
    static final String EXECUTION_TIME = "coderd_backgroundjob_execution_time_seconds";
    static final String BUILDS = "coderd_background_workspace_build_duration_s";

    @Parameter
    Jdk jdk;

    int metricsPort;
    int appPort;

    ForkedJvm fixture() {
        metricsPort = Ports.free();
        ForkedJvm jvm = ForkedJvm.on(jdk).agent("port=" + metricsPort + ",jobs.types=*Reaper=reaper")
                .main(JobsFixture.class, Integer.toString(Ports.free())).start(FoundationIT.READY);
        appPort = Integer.parseInt(jvm.await(FoundationIT.READY, Duration.ofSeconds(5)));
        return jvm;
    }

    /** The forked JDK's feature release: {@code JDK 17} is 17. */
    int feature() {
        return Integer.parseInt(jdk.name().replaceAll("\\D", ""));
    }

    void scenario(String path) {
        var response = Http.get("http://127.0.0.1:" + appPort + path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    }

    /** Scrapes until every {@code type} has completed {@code completed} jobs (a job's end is recorded just after its future completes). */
    Exposition settled(Object... typeAndCompleted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Exposition m = Http.scrape(metricsPort);
            boolean done = true;
            for (int i = 0; i < typeAndCompleted.length; i += 2) {
                Double v = m.value(COMPLETED, "type", (String) typeAndCompleted[i]);
                done &= v != null && v == ((Number) typeAndCompleted[i + 1]).doubleValue();
            }
            if (done || System.nanoTime() > deadline) {
                return m;
            }
            sleep(50);
        }
    }

    /** enqueued, started, completed and current of one type, as one comparable string. */
    static String counts(Exposition m, String type) {
        return "enqueued=" + fmt(m.value(ENQUEUED, "type", type)) + " started=" + fmt(m.value(STARTED, "type", type))
                + " completed=" + fmt(m.value(COMPLETED, "type", type)) + " current=" + fmt(m.value(CURRENT, "type", type));
    }

    static String fmt(Double v) {
        return v == null ? "absent" : Long.toString(Math.round(v));
    }

    static double bucket(Exposition m, String family, String type, String le) {
        Double v = m.value(family + "_bucket", "type", type, "le", le);
        return v == null ? -1 : v;
    }

    static Set<String> types(Exposition m) {
        Set<String> types = new TreeSet<>();
        m.samples(ENQUEUED).forEach(s -> types.add(s.labels().get("type")));
        return types;
    }

    @Test
    void aKnownWorkloadIsCountedExactlyPerTypeOnPoolsForkJoinAndCompletableFuture() {
        try (ForkedJvm app = fixture()) {
            scenario("/workload");
            Exposition m = settled("ReportJob", 3, "CleanupJob", 3, "IndexJob", 3, "JobsFixture", 2, "reaper", 1,
                    "Notifications", 4, "AggregateTask", 1);
            assertThat(counts(m, "ReportJob")).isEqualTo("enqueued=3 started=3 completed=3 current=0");
            assertThat(counts(m, "CleanupJob")).isEqualTo("enqueued=3 started=3 completed=3 current=0"); // 2 pool + 1 fork/join
            assertThat(counts(m, "IndexJob")).isEqualTo("enqueued=3 started=3 completed=3 current=0");   // invokeAll, invokeAny
            assertThat(counts(m, "JobsFixture")).isEqualTo("enqueued=2 started=2 completed=2 current=0"); // lambda, method reference
            assertThat(counts(m, "reaper")).isEqualTo("enqueued=1 started=1 completed=1 current=0");      // jobs.types rule
            assertThat(counts(m, "Notifications")).isEqualTo("enqueued=4 started=4 completed=4 current=0"); // async stages
            assertThat(counts(m, "AggregateTask")).isEqualTo("enqueued=1 started=1 completed=1 current=0"); // not its forks
            assertThat(m.value(ENQUEUE_TIME + "_count", "type", "ReportJob")).isEqualTo(3.0);
            assertThat(m.value(EXECUTION_TIME + "_count", "type", "ReportJob")).isEqualTo(3.0);
            // the JDK HTTP server's own exchanges ran on a thread pool too: none of them is a job
            assertThat(types(m)).containsExactly("AggregateTask", "CleanupJob", "IndexJob", "JobsFixture", "Notifications",
                    "ReportJob", "reaper");
            assertThat(m.help(ENQUEUED)).isEqualTo("Total number of jobs enqueued.");
            assertThat(m.help(STARTED)).isEqualTo("Total number of jobs started.");
            assertThat(m.help(COMPLETED)).isEqualTo("Total number of jobs completed since startup.");
            assertThat(m.help(CURRENT)).isEqualTo("Current number of enqueued and not started background jobs.");
            assertThat(m.help(ENQUEUE_TIME)).isEqualTo("Histogram of total time taken by job type to transition from Enqueue to Running.");
            assertThat(m.help(EXECUTION_TIME)).isEqualTo("Histogram of total time taken by job type to transition from Running to Completed.");
            assertThat(m.type(CURRENT)).isEqualTo("gauge");
            assertThat(m.type(ENQUEUE_TIME)).isEqualTo("histogram");
            assertThat(m.samples(ENQUEUE_TIME + "_bucket").stream().filter(s -> s.labels().get("type").equals("ReportJob"))
                    .map(s -> s.labels().get("le")).toList())
                    .containsExactly("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0",
                            "30.0", "60.0", "300.0", "+Inf");
            assertThat(m.value("coderd_metrics_agent_advice_errors_total", "instrumentation", "executor")).isEqualTo(0.0);
        }
    }

    @Test
    void theGaugeHoldsTheQueuedTasksOfABlockedPoolAndDropsTheCancelledOnes() {
        try (ForkedJvm app = fixture()) {
            scenario("/blocked");
            Exposition blocked = Http.scrape(metricsPort);
            assertThat(counts(blocked, "QueuedJob")).isEqualTo("enqueued=5 started=0 completed=0 current=5");
            assertThat(counts(blocked, "Blocker")).isEqualTo("enqueued=1 started=1 completed=0 current=0");

            scenario("/cancel");
            assertThat(counts(Http.scrape(metricsPort), "QueuedJob")).isEqualTo("enqueued=5 started=0 completed=0 current=3");

            scenario("/release");
            Exposition done = settled("QueuedJob", 3, "Blocker", 1);
            assertThat(counts(done, "QueuedJob")).isEqualTo("enqueued=5 started=3 completed=3 current=0");
            assertThat(counts(done, "Blocker")).isEqualTo("enqueued=1 started=1 completed=1 current=0");
        }
    }

    @Test
    void aTaskQueuedBehindA200MsJobWaitsBetween100And250Ms() {
        try (ForkedJvm app = fixture()) {
            scenario("/queue-time");
            Exposition m = settled("SlowJob", 1, "QuickJob", 1);
            assertThat(bucket(m, ENQUEUE_TIME, "QuickJob", "0.1")).isEqualTo(0.0);
            assertThat(bucket(m, ENQUEUE_TIME, "QuickJob", "0.25")).isEqualTo(1.0);
            assertThat(bucket(m, ENQUEUE_TIME, "SlowJob", "0.05")).isEqualTo(1.0);  // its worker was idle
            assertThat(bucket(m, EXECUTION_TIME, "SlowJob", "0.1")).isEqualTo(0.0);
            assertThat(bucket(m, EXECUTION_TIME, "SlowJob", "0.25")).isEqualTo(1.0);
            assertThat(bucket(m, EXECUTION_TIME, "QuickJob", "0.005")).isEqualTo(1.0);
        }
    }

    @Test
    void failingWorkspaceBuildsCountAsFailedWhereverTheExceptionWent() {
        try (ForkedJvm app = fixture()) {
            scenario("/builds");
            Exposition m = settled("WorkspaceBuildJob", 5);
            assertThat(counts(m, "WorkspaceBuildJob")).isEqualTo("enqueued=5 started=5 completed=5 current=0");
            assertThat(m.value(BUILDS + "_count", "status", "success")).isEqualTo(2.0);
            assertThat(m.value(BUILDS + "_count", "status", "failed")).isEqualTo(3.0); // thrown, in a future, in a stage
            assertThat(m.value(BUILDS + "_bucket", "status", "failed", "le", "1.0")).isEqualTo(3.0);
            assertThat(m.samples(BUILDS + "_bucket").stream().filter(s -> s.labels().get("status").equals("success"))
                    .map(s -> s.labels().get("le")).toList())
                    .containsExactly("1.0", "10.0", "30.0", "60.0", "300.0", "600.0", "1800.0", "3600.0", "+Inf");
            assertThat(m.help(BUILDS)).isEqualTo("Duration distribution of workspace builds in seconds");
        }
    }

    @Test
    void aDelayedRunsEnqueueTimeStartsWhenItIsDueAndEachPeriodicRunIsOneJob() {
        try (ForkedJvm app = fixture()) {
            scenario("/scheduled");
            Exposition m = settled("DelayedJob", 1, "TickJob", 5);
            assertThat(counts(m, "DelayedJob")).isEqualTo("enqueued=1 started=1 completed=1 current=0");
            assertThat(bucket(m, ENQUEUE_TIME, "DelayedJob", "0.05")).isEqualTo(1.0);  // its 300 ms delay is not enqueue time
            assertThat(counts(m, "TickJob")).isEqualTo("enqueued=5 started=5 completed=5 current=0");
            assertThat(counts(m, "LaterJob")).isEqualTo("enqueued=0 started=0 completed=0 current=0"); // due in an hour
            if (feature() >= 25) { // ForkJoinPool schedules since JDK 25
                m = settled("DelayedJob", 1, "TickJob", 5, "ForkJoinDelayedJob", 1);
                assertThat(counts(m, "ForkJoinDelayedJob")).isEqualTo("enqueued=1 started=1 completed=1 current=0");
                assertThat(bucket(m, ENQUEUE_TIME, "ForkJoinDelayedJob", "0.05")).isEqualTo(1.0);
            }
        }
    }

    @Test
    void rejectedDiscardedAndDrainedTasksLeaveTheGaugeExact() {
        try (ForkedJvm app = fixture()) {
            scenario("/rejected");
            Exposition m = settled("GateJob", 2, "NewJob", 1);
            assertThat(counts(m, "RejectedJob")).isEqualTo("enqueued=0 started=0 completed=0 current=0");
            assertThat(counts(m, "DrainedJob")).isEqualTo("enqueued=1 started=0 completed=0 current=0");
            assertThat(counts(m, "OldJob")).isEqualTo("enqueued=1 started=0 completed=0 current=0");
            assertThat(counts(m, "NewJob")).isEqualTo("enqueued=1 started=1 completed=1 current=0");
        }
    }

    @Test
    void tenThousandVirtualThreadTasksFinishWithExactCounts() {
        Assumptions.assumeTrue(feature() >= 21, "virtual threads need JDK 21+");
        try (ForkedJvm app = fixture()) {
            scenario("/virtual");
            Exposition m = settled("VirtualCall", 5_000, "VirtualRun", 5_000);
            assertThat(counts(m, "VirtualCall")).isEqualTo("enqueued=5000 started=5000 completed=5000 current=0");
            assertThat(counts(m, "VirtualRun")).isEqualTo("enqueued=5000 started=5000 completed=5000 current=0");
            assertThat(m.value("coderd_metrics_agent_untracked_jobs_total")).isEqualTo(0.0);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.coderd.metrics.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.config.Rule;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.Expositions;
import dev.coderd.metrics.metrics.JobMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The recorder driven as the executor advice drives it, on a hand-moved clock. */
class JobRecorderTest {
    static final long MS = 1_000_000L;
    private final long[] now = {5_000_000_000L};
    private AgentRegistry registry;
    private JobRecorder recorder = recorder(2000, 1024);

    /** A fresh registry and recorder, wired as {@link JobRecorder#create} wires them. */
    private JobRecorder recorder(int seriesLimit, int maxQueued) {
        registry = new AgentRegistry(seriesLimit);
        JobRecorder r = new JobRecorder(new JobMetrics(registry), List.of(new Rule("*Reaper", "reaper")), List.of("java."),
                List.of("*WorkspaceBuild*"), seriesLimit, maxQueued, null, () -> now[0]);
        registry.beforeScrape(r::promoteDue);
        return r;
    }

    static final class ReportJob implements Runnable {
        @Override
        public void run() {}
    }

    static final class WorkspaceReaper implements Runnable {
        @Override
        public void run() {}
    }

    static final class WorkspaceBuildJob implements Runnable {
        @Override
        public void run() {}
    }

    /** A delayed run, as a scheduled pool's task is: due at {@code due} on the test clock. */
    final class Later implements Runnable, Delayed {
        final long due;

        Later(long due) {
            this.due = due;
        }

        @Override
        public void run() {}

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - now[0], TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return 0;
        }
    }

    private void handOver(Object task) {
        recorder.submitted(task, recorder.submit(null, task), null);
    }

    private void run(Object task, long ms, Throwable thrown) {
        recorder.beforeExecute(task);
        now[0] += ms * MS;
        recorder.afterExecute(task, thrown);
    }

    private String text(String... families) {
        return Expositions.text(registry.registry(), families);
    }

    private String sample(String line) {
        return text(line.substring(0, line.indexOf('{'))).lines().filter(l -> l.startsWith(line)).findFirst().orElse("absent");
    }

    @Test
    void eachJobIsEnqueuedStartedAndCompletedOnceUnderItsType() {
        ReportJob first = new ReportJob();
        ReportJob second = new ReportJob();
        handOver(first);
        handOver(second);
        now[0] += 30 * MS;
        run(first, 200, null);              // waited 30 ms, ran 200 ms
        run(second, 10, new IllegalStateException("a job that throws still completes"));
        Runnable lambda = () -> { };
        handOver(lambda);
        run(lambda, 1, null);
        handOver(new WorkspaceReaper());    // queued, not started

        assertThat(text(JobMetrics.ENQUEUED, JobMetrics.STARTED, JobMetrics.COMPLETED, JobMetrics.CURRENT_ENQUEUED)).isEqualTo("""
                # HELP coderd_backgroundjob_completed_total Total number of jobs completed since startup.
                # TYPE coderd_backgroundjob_completed_total counter
                coderd_backgroundjob_completed_total{type="JobRecorderTest"} 1.0
                coderd_backgroundjob_completed_total{type="ReportJob"} 2.0
                coderd_backgroundjob_completed_total{type="reaper"} 0.0
                # HELP coderd_backgroundjob_current_enqueued_jobs Current number of enqueued and not started background jobs.
                # TYPE coderd_backgroundjob_current_enqueued_jobs gauge
                coderd_backgroundjob_current_enqueued_jobs{type="JobRecorderTest"} 0.0
                coderd_backgroundjob_current_enqueued_jobs{type="ReportJob"} 0.0
                coderd_backgroundjob_current_enqueued_jobs{type="reaper"} 1.0
                # HELP coderd_backgroundjob_enqueued_total Total number of jobs enqueued.
                # TYPE coderd_backgroundjob_enqueued_total counter
                coderd_backgroundjob_enqueued_total{type="JobRecorderTest"} 1.0
                coderd_backgroundjob_enqueued_total{type="ReportJob"} 2.0
                coderd_backgroundjob_enqueued_total{type="reaper"} 1.0
                # HELP coderd_backgroundjob_started_total Total number of jobs started.
                # TYPE coderd_backgroundjob_started_total counter
                coderd_backgroundjob_started_total{type="JobRecorderTest"} 1.0
                coderd_backgroundjob_started_total{type="ReportJob"} 2.0
                coderd_backgroundjob_started_total{type="reaper"} 0.0
                """);
        // first waited 30 ms and ran 200 ms; second waited 230 ms and ran 10 ms
        assertThat(sample("coderd_backgroundjob_enqueue_time_seconds_bucket{type=\"ReportJob\",le=\"0.025\"}")).endsWith(" 0");
        assertThat(sample("coderd_backgroundjob_enqueue_time_seconds_bucket{type=\"ReportJob\",le=\"0.05\"}")).endsWith(" 1");
        assertThat(sample("coderd_backgroundjob_enqueue_time_seconds_bucket{type=\"ReportJob\",le=\"0.25\"}")).endsWith(" 2");
        assertThat(sample("coderd_backgroundjob_execution_time_seconds_bucket{type=\"ReportJob\",le=\"0.01\"}")).endsWith(" 1");
        assertThat(sample("coderd_backgroundjob_execution_time_seconds_bucket{type=\"ReportJob\",le=\"0.1\"}")).endsWith(" 1");
        assertThat(sample("coderd_backgroundjob_execution_time_seconds_bucket{type=\"ReportJob\",le=\"0.25\"}")).endsWith(" 2");
        String sum = sample("coderd_backgroundjob_execution_time_seconds_sum{type=\"ReportJob\"}");
        assertThat(Double.parseDouble(sum.substring(sum.lastIndexOf(' ') + 1))).isCloseTo(0.21, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void cancelledRemovedAndDrainedTasksLeaveTheGaugeAndAreNeverStarted() {
        List<FutureTask<?>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            FutureTask<?> task = new FutureTask<>(new ReportJob(), null);
            queued.add(task);
            handOver(task);
        }
        assertThat(sample("coderd_backgroundjob_current_enqueued_jobs{type=\"ReportJob\"}")).endsWith(" 5.0");
        for (int i = 0; i < 2; i++) {
            FutureTask<?> task = queued.get(i);
            task.cancel(false);
            recorder.cancelled(task, null);
        }
        assertThat(sample("coderd_backgroundjob_current_enqueued_jobs{type=\"ReportJob\"}")).endsWith(" 3.0");
        recorder.removed(queued.get(2));                  // ThreadPoolExecutor.remove
        recorder.removedAll(List.of(queued.get(3)));      // shutdownNow's drain
        run(queued.get(0), 1, null);                      // a worker reaches a cancelled task: no job
        run(queued.get(4), 1, null);

        assertThat(text(JobMetrics.ENQUEUED, JobMetrics.STARTED, JobMetrics.CURRENT_ENQUEUED)).isEqualTo("""
                # HELP coderd_backgroundjob_current_enqueued_jobs Current number of enqueued and not started background jobs.
                # TYPE coderd_backgroundjob_current_enqueued_jobs gauge
                coderd_backgroundjob_current_enqueued_jobs{type="ReportJob"} 0.0
                # HELP coderd_backgroundjob_enqueued_total Total number of jobs enqueued.
                # TYPE coderd_backgroundjob_enqueued_total counter
                coderd_backgroundjob_enqueued_total{type="ReportJob"} 5.0
                # HELP coderd_backgroundjob_started_total Total number of jobs started.
                # TYPE coderd_backgroundjob_started_total counter
                coderd_backgroundjob_started_total{type="ReportJob"} 1.0
                """);
    }

    @Test
    void aRejectedTaskWasNeverEnqueued() {
        ReportJob discarded = new ReportJob();
        int token = recorder.submit(null, discarded);
        recorder.rejected(discarded);                   // DiscardPolicy, CallerRunsPolicy: execute returns normally
        recorder.submitted(discarded, token, null);
        ReportJob aborted = new ReportJob();
        recorder.submitted(aborted, recorder.submit(null, aborted), new IllegalStateException("rejected"));

        assertThat(sample("coderd_backgroundjob_enqueued_total{type=\"ReportJob\"}")).endsWith(" 0.0");
        assertThat(sample("coderd_backgroundjob_current_enqueued_jobs{type=\"ReportJob\"}")).endsWith(" 0.0");
    }

    @Test
    void aJobThatStartsBeforeItsHandOverReturnsCountsOnce() {
        ReportJob fast = new ReportJob();
        int token = recorder.submit(null, fast);
        run(fast, 1, null);                              // an idle worker took it at once
        recorder.submitted(fast, token, null);

        assertThat(text(JobMetrics.ENQUEUED, JobMetrics.STARTED, JobMetrics.CURRENT_ENQUEUED)).contains(
                "coderd_backgroundjob_current_enqueued_jobs{type=\"ReportJob\"} 0.0",
                "coderd_backgroundjob_enqueued_total{type=\"ReportJob\"} 1.0",
                "coderd_backgroundjob_started_total{type=\"ReportJob\"} 1.0");
    }

    @Test
    void aDelayedRunIsEnqueuedWhenDueAndItsEnqueueTimeStartsThen() {
        Later later = new Later(now[0] + 300 * MS);
        recorder.submitted(later, recorder.schedule(null, later), null);
        recorder.promoteDue();
        assertThat(sample("coderd_backgroundjob_enqueued_total{type=\"Later\"}")).endsWith(" 0.0");
        assertThat(sample("coderd_backgroundjob_current_enqueued_jobs{type=\"Later\"}")).endsWith(" 0.0");

        now[0] += 300 * MS;                              // due: the next scrape sees it waiting
        assertThat(sample("coderd_backgroundjob_current_enqueued_jobs{type=\"Later\"}")).endsWith(" 1.0");
        assertThat(sample("coderd_backgroundjob_enqueued_total{type=\"Later\"}")).endsWith(" 1.0");
        now[0] += 40 * MS;
        run(later, 5, null);                             // 40 ms after it became due

        Later cancelledEarly = new Later(now[0] + 1000 * MS);
        recorder.submitted(cancelledEarly, recorder.schedule(null, cancelledEarly), null);
        recorder.removed(cancelledEarly);                // never due: never a job
        Later dueNotScraped = new Later(now[0] + 10 * MS);
        recorder.submitted(dueNotScraped, recorder.schedule(null, dueNotScraped), null);
        now[0] += 20 * MS;
        run(dueNotScraped, 5, null);                     // due and started between two scrapes
        Later dueThenCancelled = new Later(now[0] + 5 * MS);
        recorder.submitted(dueThenCancelled, recorder.schedule(null, dueThenCancelled), null);
        now[0] += 10 * MS;
        recorder.removed(dueThenCancelled);              // it was due, so a job, and it left unrun

        assertThat(text(JobMetrics.ENQUEUED, JobMetrics.STARTED, JobMetrics.CURRENT_ENQUEUED)).contains(
                "coderd_backgroundjob_current_enqueued_jobs{type=\"Later\"} 0.0",
                "coderd_backgroundjob_enqueued_total{type=\"Later\"} 3.0",
                "coderd_backgroundjob_started_total{type=\"Later\"} 2.0");
        // 40 ms and 10 ms after they became due; the delays themselves (300 ms, 10 ms) are not enqueue time
        assertThat(sample("coderd_backgroundjob_enqueue_time_seconds_bucket{type=\"Later\",le=\"0.005\"}")).endsWith(" 0");
        assertThat(sample("coderd_backgroundjob_enqueue_time_seconds_bucket{type=\"Later\",le=\"0.025\"}")).endsWith(" 1");
        assertThat(sample("coderd_backgroundjob_enqueue_time_seconds_bucket{type=\"Later\",le=\"0.05\"}")).endsWith(" 2");
    }

    @Test
    void workspaceBuildsAreObservedBySuccessOrFailure() {
        WorkspaceBuildJob ok = new WorkspaceBuildJob();
        WorkspaceBuildJob thrown = new WorkspaceBuildJob();
        FutureTask<String> failedFuture = new FutureTask<>(() -> {
            throw new IllegalStateException("terraform apply failed");
        });
        FutureTask<?> wrapped = new FutureTask<>(new WorkspaceBuildJob(), null);
        handOver(ok);
        handOver(thrown);
        handOver(wrapped);
        run(ok, 12_000, null);
        run(thrown, 500, new IllegalStateException("build failed"));
        recorder.beforeExecute(wrapped);
        wrapped.run();
        now[0] += 2_000 * MS;
        recorder.afterExecute(wrapped, null);
        handOver(failedFuture);                          // a lambda: not a workspace build by type
        run(failedFuture, 1, null);

        assertThat(text(JobMetrics.WORKSPACE_BUILD_DURATION + "_count", JobMetrics.WORKSPACE_BUILD_DURATION + "_bucket{status=\"failed\",le=\"1.0\"}",
                JobMetrics.WORKSPACE_BUILD_DURATION + "_bucket{status=\"success\",le=\"10.0\"}")).isEqualTo("""
                coderd_background_workspace_build_duration_s_bucket{status="failed",le="1.0"} 1
                coderd_background_workspace_build_duration_s_count{status="failed"} 1
                coderd_background_workspace_build_duration_s_bucket{status="success",le="10.0"} 1
                coderd_background_workspace_build_duration_s_count{status="success"} 2
                """);
    }

    @Test
    void aFailedBuildInAFutureCountsAsFailed() {
        FutureTask<?> build = new FutureTask<>(new WorkspaceBuildThatFails(), null);
        handOver(build);
        recorder.beforeExecute(build);
        build.run();                                     // the future keeps the exception; afterExecute sees none
        recorder.afterExecute(build, null);
        assertThat(sample("coderd_background_workspace_build_duration_s_count{status=\"failed\"}")).endsWith(" 1");
    }

    static final class WorkspaceBuildThatFails implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("WorkspaceBuild failed");
        }
    }

    @Test
    void typesPastTheSeriesLimitShareTheOtherSeries() {
        recorder = recorder(2, 1024);
        handOver(new ReportJob());
        handOver(new WorkspaceReaper());
        handOver(new WorkspaceBuildJob());
        assertThat(text(JobMetrics.ENQUEUED)).isEqualTo("""
                # HELP coderd_backgroundjob_enqueued_total Total number of jobs enqueued.
                # TYPE coderd_backgroundjob_enqueued_total counter
                coderd_backgroundjob_enqueued_total{type="OTHER"} 1.0
                coderd_backgroundjob_enqueued_total{type="ReportJob"} 1.0
                coderd_backgroundjob_enqueued_total{type="reaper"} 1.0
                """);
    }

    @Test
    void pastItsCapacityTheTableFollowsNoMoreTasksAndSaysSo() {
        recorder = recorder(2000, 1);                    // the smallest table: one window of slots
        for (int i = 0; i <= PendingJobs.WINDOW; i++) {
            handOver(new ReportJob());
        }
        assertThat(sample("coderd_backgroundjob_enqueued_total{type=\"ReportJob\"}")).endsWith(" " + PendingJobs.WINDOW + ".0");
        assertThat(text(JobMetrics.UNTRACKED)).contains("coderd_metrics_agent_untracked_jobs_total 1.0");
    }
}

package dev.coderd.metrics.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/**
 * The background-job families of the metrics contract, {@code coderd_backgroundjob_*} and
 * {@code coderd_background_workspace_build_duration_s}: names, HELP texts and buckets, registered once.
 *
 * <pre>
 * # HELP coderd_backgroundjob_enqueued_total Total number of jobs enqueued.
 * # TYPE coderd_backgroundjob_enqueued_total counter
 * coderd_backgroundjob_enqueued_total{type="WorkspaceBuildJob"} 3.0
 * # HELP coderd_backgroundjob_current_enqueued_jobs Current number of enqueued and not started background jobs.
 * # TYPE coderd_backgroundjob_current_enqueued_jobs gauge
 * coderd_backgroundjob_current_enqueued_jobs{type="WorkspaceBuildJob"} 0.0
 * # HELP coderd_background_workspace_build_duration_s Duration distribution of workspace builds in seconds
 * # TYPE coderd_background_workspace_build_duration_s histogram
 * coderd_background_workspace_build_duration_s_bucket{status="failed",le="1.0"} 1
 * </pre>
 *
 * Recorded by {@link dev.coderd.metrics.jobs.JobRecorder}, which the executor instrumentation
 * ({@code dev.coderd.metrics.instrumentation.executor}) feeds.
 */
public final class JobMetrics {
    public static final String ENQUEUED = "coderd_backgroundjob_enqueued_total";
    public static final String ENQUEUED_HELP = "Total number of jobs enqueued.";
    public static final String STARTED = "coderd_backgroundjob_started_total";
    public static final String STARTED_HELP = "Total number of jobs started.";
    public static final String COMPLETED = "coderd_backgroundjob_completed_total";
    public static final String COMPLETED_HELP = "Total number of jobs completed since startup.";
    public static final String CURRENT_ENQUEUED = "coderd_backgroundjob_current_enqueued_jobs";
    public static final String CURRENT_ENQUEUED_HELP = "Current number of enqueued and not started background jobs.";
    public static final String ENQUEUE_TIME = "coderd_backgroundjob_enqueue_time_seconds";
    public static final String ENQUEUE_TIME_HELP =
            "Histogram of total time taken by job type to transition from Enqueue to Running.";
    public static final String EXECUTION_TIME = "coderd_backgroundjob_execution_time_seconds";
    public static final String EXECUTION_TIME_HELP =
            "Histogram of total time taken by job type to transition from Running to Completed.";
    public static final String WORKSPACE_BUILD_DURATION = "coderd_background_workspace_build_duration_s";
    public static final String WORKSPACE_BUILD_DURATION_HELP = "Duration distribution of workspace builds in seconds";

    /** The agent's own: tasks it could not follow because {@code jobs.max-queued} tasks were already queued. */
    public static final String UNTRACKED = "coderd_metrics_agent_untracked_jobs_total";
    public static final String UNTRACKED_HELP =
            "Tasks handed to an executor while the agent already followed jobs.max-queued queued tasks; not measured.";

    public static final String SUCCESS = "success";
    public static final String FAILED = "failed";

    static final double[] JOB_BUCKETS_S = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};
    static final double[] WORKSPACE_BUILD_BUCKETS_S = {1, 10, 30, 60, 300, 600, 1800, 3600};

    public final SeriesLimiter<CounterDataPoint> enqueued;
    public final SeriesLimiter<CounterDataPoint> started;
    public final SeriesLimiter<CounterDataPoint> completed;
    public final SeriesLimiter<InFlightGauge> currentEnqueued;
    public final SeriesLimiter<DistributionDataPoint> enqueueTime;
    public final SeriesLimiter<DistributionDataPoint> executionTime;
    public final SeriesLimiter<DistributionDataPoint> workspaceBuildDuration;
    public final CounterDataPoint untracked;

    public JobMetrics(AgentRegistry registry) {
        enqueued = registry.limitedCounter(ENQUEUED, ENQUEUED_HELP, "type");
        started = registry.limitedCounter(STARTED, STARTED_HELP, "type");
        completed = registry.limitedCounter(COMPLETED, COMPLETED_HELP, "type");
        currentEnqueued = registry.limitedGauge(CURRENT_ENQUEUED, CURRENT_ENQUEUED_HELP, "type");
        enqueueTime = registry.limitedHistogram(ENQUEUE_TIME, ENQUEUE_TIME_HELP, JOB_BUCKETS_S, "type");
        executionTime = registry.limitedHistogram(EXECUTION_TIME, EXECUTION_TIME_HELP, JOB_BUCKETS_S, "type");
        workspaceBuildDuration = registry.limitedHistogram(WORKSPACE_BUILD_DURATION, WORKSPACE_BUILD_DURATION_HELP,
                WORKSPACE_BUILD_BUCKETS_S, "status");
        untracked = registry.counter(UNTRACKED, UNTRACKED_HELP);
    }
}

package dev.coderd.metrics.jobs;

import dev.coderd.metrics.metrics.InFlightGauge;
import dev.coderd.metrics.metrics.JobMetrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every data point of one job type, resolved once and then reused: after the first job of a type, recording
 * one costs no lookup and no allocation. {@link #index} is how the pending table and job handles refer to it.
 * The current-enqueued gauge is not moved per job: it is enqueued minus started minus those that left the
 * queue unrun, published before each scrape ({@link #publishCurrent}), which saves two contended updates per job.
 */
final class JobSeries {
    final int index;
    final String type;
    final boolean workspaceBuild;
    final CounterDataPoint enqueued;
    final CounterDataPoint started;
    final CounterDataPoint completed;
    final InFlightGauge current;
    /** Enqueued jobs that left the queue without starting: cancelled, removed, discarded, drained. */
    final LongAdder left = new LongAdder();
    final DistributionDataPoint enqueueTime;
    final DistributionDataPoint executionTime;
    /** Null unless {@link #workspaceBuild}. */
    final DistributionDataPoint buildSucceeded;
    final DistributionDataPoint buildFailed;

    JobSeries(int index, String type, boolean workspaceBuild, JobMetrics metrics) {
        this.index = index;
        this.type = type;
        this.workspaceBuild = workspaceBuild;
        enqueued = metrics.enqueued.get(type);
        started = metrics.started.get(type);
        completed = metrics.completed.get(type);
        current = metrics.currentEnqueued.get(type);
        current.set(0); // shown from the start like the counters
        enqueueTime = metrics.enqueueTime.get(type);
        executionTime = metrics.executionTime.get(type);
        buildSucceeded = workspaceBuild ? metrics.workspaceBuildDuration.get(JobMetrics.SUCCESS) : null;
        buildFailed = workspaceBuild ? metrics.workspaceBuildDuration.get(JobMetrics.FAILED) : null;
    }

    /**
     * Sets the gauge to the jobs enqueued and neither started nor gone. {@code started} is read first: a job
     * enqueued and started between the two reads then shows for one scrape rather than make the gauge negative.
     */
    void publishCurrent() {
        double s = started.get();
        double e = enqueued.get();
        current.set(Math.max(0, e - s - left.sum()));
    }
}

package dev.coderd.metrics.bridge.executor;

import java.util.Collection;

/**
 * What the agent core implements for {@link ExecutorBridge}. Plain JDK types only: this interface lives on the
 * bootstrap class path and is seen by every class loader, {@code java.base} included.
 */
public interface ExecutorHook {
    /** A task is being handed to an executor; returns a token for {@link #submitted}, 0 when it is no job. */
    int submit(Object executor, Object task);

    /** A delayed or periodic run is being queued ({@code task} is a {@code Delayed}); as {@link #submit}. */
    int schedule(Object executor, Object task);

    /** The hand-over returned: accepted unless {@code thrown} is set or the executor rejected the task meanwhile. */
    void submitted(Object task, int token, Throwable thrown);

    /** The executor's rejection handler is about to run for a task it did not accept. */
    void rejected(Object task);

    /** A queued task left the queue without running: cancelled, removed, discarded. */
    void removed(Object task);

    /** A {@code Future} was cancelled; {@code inner} is the task it held until the cancellation cleared it. */
    void cancelled(Object future, Object inner);

    /** {@code shutdownNow} drained these tasks from the queue. */
    void removedAll(Collection<?> tasks);

    /** A pool worker is about to run {@code task} ({@code ThreadPoolExecutor.beforeExecute} returned). */
    void beforeExecute(Object task);

    /** The pool worker finished {@code task} ({@code ThreadPoolExecutor.afterExecute}). */
    void afterExecute(Object task, Throwable thrown);

    /** {@code task} starts running on this thread; returns a job handle for {@link #complete}, 0 when it is no job. */
    long start(Object task);

    /** What tells, once the job ran, whether it failed (its future), or null when nobody needs to know. */
    Object outcome(Object task, long job);

    /** The job started with {@link #start} finished on this thread. */
    void complete(long job, Object outcome, Throwable thrown);
}

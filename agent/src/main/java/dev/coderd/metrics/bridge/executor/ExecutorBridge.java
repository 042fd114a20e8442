package dev.coderd.metrics.bridge.executor;

import dev.coderd.metrics.bridge.AgentThread;
import java.util.Collection;

/**
 * What the executor advice calls, inlined into {@code java.util.concurrent} (thread pools, scheduled pools,
 * fork/join, {@code CompletableFuture}, virtual-thread-per-task executors) and into thread-pool subclasses of
 * any loader. Until the core installs its {@link ExecutorHook} every method is a no-op; on the agent's own
 * threads ({@link AgentThread}) nothing is measured. Nothing here throws by design.
 *
 * <p>Three moments of a job, each read straight: it is handed over ({@link #submit} … {@link #submitted}, or
 * {@link #schedule} for a delayed run), it may leave the queue unrun ({@link #rejected}, {@link #removed}), and
 * it runs ({@link #beforeExecute} … {@link #afterExecute} on a pool worker, {@link #start} … {@link #complete}
 * where one method brackets the run).
 */
public final class ExecutorBridge {
    private static volatile ExecutorHook hook;

    private ExecutorBridge() {}

    public static void install(ExecutorHook installed) {
        hook = installed;
    }

    // --- hand-over --------------------------------------------------------------------------------------

    public static int submit(Object executor, Object task) {
        ExecutorHook h = hook;
        return h == null || task == null || AgentThread.current() ? 0 : h.submit(executor, task);
    }

    public static int schedule(Object executor, Object task) {
        ExecutorHook h = hook;
        return h == null || task == null || AgentThread.current() ? 0 : h.schedule(executor, task);
    }

    public static void submitted(Object task, int token, Throwable thrown) {
        ExecutorHook h = hook;
        if (h != null && token != 0) {
            h.submitted(task, token, thrown);
        }
    }

    // --- leaving the queue unrun ------------------------------------------------------------------------

    public static void rejected(Object task) {
        ExecutorHook h = hook;
        if (h != null && task != null && !AgentThread.current()) {
            h.rejected(task);
        }
    }

    public static void removed(Object task) {
        ExecutorHook h = hook;
        if (h != null && task != null && !AgentThread.current()) {
            h.removed(task);
        }
    }

    public static void cancelled(Object future, Object inner) {
        ExecutorHook h = hook;
        if (h != null && future != null && !AgentThread.current()) {
            h.cancelled(future, inner);
        }
    }

    public static void removedAll(Collection<?> tasks) {
        ExecutorHook h = hook;
        if (h != null && tasks != null && !tasks.isEmpty() && !AgentThread.current()) {
            h.removedAll(tasks);
        }
    }

    // --- running ----------------------------------------------------------------------------------------

    public static void beforeExecute(Object task) {
        ExecutorHook h = hook;
        if (h != null && task != null && !AgentThread.current()) {
            h.beforeExecute(task);
        }
    }

    public static void afterExecute(Object task, Throwable thrown) {
        ExecutorHook h = hook;
        if (h != null && task != null && !AgentThread.current()) {
            h.afterExecute(task, thrown);
        }
    }

    public static long start(Object task) {
        ExecutorHook h = hook;
        return h == null || AgentThread.current() ? 0 : h.start(task);
    }

    public static Object outcome(Object task, long job) {
        ExecutorHook h = hook;
        return h == null || job == 0 ? null : h.outcome(task, job);
    }

    public static void complete(long job, Object outcome, Throwable thrown) {
        ExecutorHook h = hook;
        if (h != null && job != 0) {
            h.complete(job, outcome, thrown);
        }
    }
}

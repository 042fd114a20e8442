package dev.coderd.metrics.instrumentation.executor;

import dev.coderd.metrics.bridge.executor.ExecutorBridge;
import dev.coderd.metrics.bridge.executor.ExecutorHook;
import dev.coderd.metrics.jobs.JobRecorder;
import dev.coderd.metrics.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * What {@link ExecutorBridge} calls: every event goes to the {@link JobRecorder} as it is.
 *
 * <pre>
 * ExecutorJobsHook.install(inst, jobs);   // at start-up, before the instrumentation is installed
 * </pre>
 */
public final class ExecutorJobsHook implements ExecutorHook {
    private static final String CONCURRENT = "java.util.concurrent";

    private final JobRecorder recorder;

    private ExecutorJobsHook(JobRecorder recorder) {
        this.recorder = recorder;
    }

    /**
     * Opens {@code java.util.concurrent} to the agent's own module, so that the recorder can read the
     * application's task inside the JDK's carriers ({@code FutureTask.callable} and the like) without wrapping
     * anything; then installs the hook. Only the agent's module gains access; the application sees no change.
     */
    public static void install(Instrumentation inst, JobRecorder recorder) {
        Module base = Object.class.getModule();
        Module agent = JobRecorder.class.getModule();
        try {
            if (!base.isOpen(CONCURRENT, agent)) {
                inst.redefineModule(base, Set.of(), Map.of(), Map.of(CONCURRENT, Set.of(agent)), Set.of(), Map.of());
            }
        } catch (RuntimeException e) {
            AgentLog.warn("could not open " + CONCURRENT + " to the agent (" + e
                    + "); tasks submitted as futures are not measured as jobs");
        }
        ExecutorBridge.install(new ExecutorJobsHook(recorder));
    }

    @Override
    public int submit(Object executor, Object task) {
        return recorder.submit(executor, task);
    }

    @Override
    public int schedule(Object executor, Object task) {
        return recorder.schedule(executor, task);
    }

    @Override
    public void submitted(Object task, int token, Throwable thrown) {
        recorder.submitted(task, token, thrown);
    }

    @Override
    public void rejected(Object task) {
        recorder.rejected(task);
    }

    @Override
    public void removed(Object task) {
        recorder.removed(task);
    }

    @Override
    public void cancelled(Object future, Object inner) {
        recorder.cancelled(future, inner);
    }

    @Override
    public void removedAll(Collection<?> tasks) {
        recorder.removedAll(tasks);
    }

    @Override
    public void beforeExecute(Object task) {
        recorder.beforeExecute(task);
    }

    @Override
    public void afterExecute(Object task, Throwable thrown) {
        recorder.afterExecute(task, thrown);
    }

    @Override
    public long start(Object task) {
        return recorder.start(task);
    }

    @Override
    public Object outcome(Object task, long job) {
        return recorder.outcome(task, job);
    }

    @Override
    public void complete(long job, Object outcome, Throwable thrown) {
        recorder.complete(job, outcome, thrown);
    }
}

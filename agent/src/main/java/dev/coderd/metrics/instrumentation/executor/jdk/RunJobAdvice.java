package dev.coderd.metrics.instrumentation.executor.jdk;

import dev.coderd.metrics.bridge.executor.ExecutorBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the one method that brackets a task's run: {@code ForkJoinTask.doExec}, the
 * {@code CompletableFuture} async stages' {@code run}, and the virtual-thread executor's runners. The job
 * travels from enter to exit as one {@code long}; nested runs on one thread (a fork/join worker helping a
 * join) each keep their own.
 */
public final class RunJobAdvice {
    private RunJobAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static long enter(@Advice.This Object task, @Advice.Local("outcome") Object outcome) {
        long job = ExecutorBridge.start(task);
        outcome = ExecutorBridge.outcome(task, job);
        return job;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter long job, @Advice.Local("outcome") Object outcome, @Advice.Thrown Throwable thrown) {
        ExecutorBridge.complete(job, outcome, thrown);
    }
}

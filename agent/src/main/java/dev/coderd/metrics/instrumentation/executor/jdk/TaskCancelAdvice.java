package dev.coderd.metrics.instrumentation.executor.jdk;

import dev.coderd.metrics.bridge.executor.ExecutorBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code ForkJoinTask.cancel} and the JDK's overrides: a queued fork/join task that is
 * cancelled (also by {@code ForkJoinPool.shutdownNow}) leaves the gauge.
 */
public final class TaskCancelAdvice {
    private TaskCancelAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object task, @Advice.Return boolean cancelled) {
        if (cancelled) {
            ExecutorBridge.removed(task);
        }
    }
}

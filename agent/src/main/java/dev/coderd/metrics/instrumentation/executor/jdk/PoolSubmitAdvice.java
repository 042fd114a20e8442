package dev.coderd.metrics.instrumentation.executor.jdk;

import dev.coderd.metrics.bridge.executor.ExecutorBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code ForkJoinPool.poolSubmit(boolean, ForkJoinTask)} (JDK 19+), where {@code execute},
 * {@code submit} and {@code invoke} push a task; the twin of {@link SubmitAdvice} for the task in second place.
 */
public final class PoolSubmitAdvice {
    private PoolSubmitAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int enter(@Advice.This Object pool, @Advice.Argument(1) Object task) {
        return ExecutorBridge.submit(pool, task);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Argument(1) Object task, @Advice.Enter int token, @Advice.Thrown Throwable thrown) {
        ExecutorBridge.submitted(task, token, thrown);
    }
}

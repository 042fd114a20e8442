package dev.coderd.metrics.instrumentation.executor.jdk;

import dev.coderd.metrics.bridge.executor.ExecutorBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code ThreadPoolExecutor.beforeExecute} and every subclass's override (Spring's
 * {@code ThreadPoolTaskExecutor} overrides it without calling {@code super}): once it returned, the worker
 * runs the task. An override that calls {@code super} reaches here twice; the second start finds the job
 * taken and does nothing.
 */
public final class BeforeExecuteAdvice {
    private BeforeExecuteAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Argument(1) Object task) {
        ExecutorBridge.beforeExecute(task);
    }
}

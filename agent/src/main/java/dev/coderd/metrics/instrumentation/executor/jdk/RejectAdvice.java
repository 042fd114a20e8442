package dev.coderd.metrics.instrumentation.executor.jdk;

import dev.coderd.metrics.bridge.executor.ExecutorBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code ThreadPoolExecutor.reject}: the executor did not take the task, whatever its handler
 * does next (throw, discard, run it in the caller); it never counts as enqueued.
 */
public final class RejectAdvice {
    private RejectAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) Object task) {
        ExecutorBridge.rejected(task);
    }
}

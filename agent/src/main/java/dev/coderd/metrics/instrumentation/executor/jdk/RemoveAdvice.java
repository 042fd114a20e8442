package dev.coderd.metrics.instrumentation.executor.jdk;

import dev.coderd.metrics.bridge.executor.ExecutorBridge;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code ThreadPoolExecutor.remove(Runnable)}: a task taken out of the queue leaves the gauge. */
public final class RemoveAdvice {
    private RemoveAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) Object task, @Advice.Return boolean removed) {
        if (removed) {
            ExecutorBridge.removed(task);
        }
    }
}

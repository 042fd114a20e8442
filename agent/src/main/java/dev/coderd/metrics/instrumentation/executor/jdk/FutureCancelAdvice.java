package dev.coderd.metrics.instrumentation.executor.jdk;

import dev.coderd.metrics.bridge.executor.ExecutorBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code FutureTask.cancel}: a cancelled task that waits in a queue leaves the gauge now, though
 * the executor drops it only when a worker reaches it. The task it holds is read on entry, because a
 * successful cancellation clears it.
 */
public final class FutureCancelAdvice {
    private FutureCancelAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.FieldValue("callable") Object callable) {
        return callable;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object future, @Advice.Enter Object inner, @Advice.Return boolean cancelled) {
        if (cancelled) {
            ExecutorBridge.cancelled(future, inner);
        }
    }
}

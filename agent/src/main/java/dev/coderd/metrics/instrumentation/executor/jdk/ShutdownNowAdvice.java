package dev.coderd.metrics.instrumentation.executor.jdk;

import dev.coderd.metrics.bridge.executor.ExecutorBridge;
import java.util.Collection;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code ThreadPoolExecutor.shutdownNow}: the tasks it drained from the queue will never run. */
public final class ShutdownNowAdvice {
    private ShutdownNowAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return Collection<?> drained) {
        ExecutorBridge.removedAll(drained);
    }
}

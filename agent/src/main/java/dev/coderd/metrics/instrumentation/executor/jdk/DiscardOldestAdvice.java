package dev.coderd.metrics.instrumentation.executor.jdk;

import dev.coderd.metrics.bridge.executor.ExecutorBridge;
import java.util.concurrent.ThreadPoolExecutor;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code ThreadPoolExecutor.DiscardOldestPolicy.rejectedExecution}, which polls the head of the
 * queue and drops it: the head seen on entry leaves the gauge (if a worker took it meanwhile, it started and
 * this is a no-op).
 */
public final class DiscardOldestAdvice {
    private DiscardOldestAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(1) ThreadPoolExecutor executor) {
        return executor.isShutdown() ? null : executor.getQueue().peek();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object head) {
        if (head != null) {
            ExecutorBridge.removed(head);
        }
    }
}

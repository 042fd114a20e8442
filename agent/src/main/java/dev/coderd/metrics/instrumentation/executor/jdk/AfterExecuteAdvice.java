package dev.coderd.metrics.instrumentation.executor.jdk;

import dev.coderd.metrics.bridge.executor.ExecutorBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code ThreadPoolExecutor.afterExecute} and every subclass's override: the worker finished the
 * task, {@code thrown} being what its {@code run} threw. The outermost override completes the job; a
 * {@code super} call finds it completed.
 */
public final class AfterExecuteAdvice {
    private AfterExecuteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) Object task, @Advice.Argument(1) Throwable thrown) {
        ExecutorBridge.afterExecute(task, thrown);
    }
}

package dev.coderd.metrics.instrumentation.executor.jdk;

import dev.coderd.metrics.bridge.executor.ExecutorBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined where a task is handed to an executor, the task being the first argument:
 * {@code ThreadPoolExecutor.execute} (which {@code submit}, {@code invokeAll} and {@code invokeAny} use),
 * {@code ForkJoinPool.externalSubmit}, the virtual-thread executor's {@code execute} and {@code submit}, and
 * {@code CompletableFuture}'s thread-per-task fallback. The task is followed before the executor can run it;
 * it counts as enqueued once the call returns without the executor having rejected it.
 */
public final class SubmitAdvice {
    private SubmitAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int enter(@Advice.This Object executor, @Advice.Argument(0) Object task) {
        return ExecutorBridge.submit(executor, task);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Argument(0) Object task, @Advice.Enter int token, @Advice.Thrown Throwable thrown) {
        ExecutorBridge.submitted(task, token, thrown);
    }
}

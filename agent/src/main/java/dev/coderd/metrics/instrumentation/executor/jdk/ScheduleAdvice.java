package dev.coderd.metrics.instrumentation.executor.jdk;

import dev.coderd.metrics.bridge.executor.ExecutorBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code ScheduledThreadPoolExecutor.delayedExecute} (every {@code schedule*}, {@code execute} and
 * {@code submit}) and {@code reExecutePeriodic} (the next run of a periodic task): the run is followed from
 * here and becomes an enqueued job when it is due.
 */
public final class ScheduleAdvice {
    private ScheduleAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int enter(@Advice.This Object executor, @Advice.Argument(0) Object task) {
        return ExecutorBridge.schedule(executor, task);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Argument(0) Object task, @Advice.Enter int token, @Advice.Thrown Throwable thrown) {
        ExecutorBridge.submitted(task, token, thrown);
    }
}

package dev.coderd.metrics.instrumentation.jdbc;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code Statement.clearBatch()}: the next batch is named by its own first SQL. */
public final class ClearBatchAdvice {
    private ClearBatchAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object statement) {
        JdbcBridge.batchCleared(statement);
    }
}

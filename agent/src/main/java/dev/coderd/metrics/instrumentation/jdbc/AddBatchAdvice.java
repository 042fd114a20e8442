package dev.coderd.metrics.instrumentation.jdbc;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code Statement.addBatch(String)}: a plain statement's batch is named by its first SQL. */
public final class AddBatchAdvice {
    private AddBatchAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object statement, @Advice.Argument(0) String sql) {
        JdbcBridge.batchAdded(statement, sql);
    }
}

package dev.coderd.metrics.instrumentation.jdbc;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into every {@code execute}, {@code executeQuery}, {@code executeUpdate}, {@code executeLargeUpdate},
 * {@code executeBatch} and {@code executeLargeBatch} of a {@code java.sql.Statement} implementation. The SQL is
 * the first argument where there is one, else (prepared statements, batches) the core looks it up.
 */
public final class StatementExecuteAdvice {
    private StatementExecuteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static long enter() {
        return JdbcBridge.executeStart();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter long start, @Advice.This Object statement,
                            @Advice.Argument(value = 0, optional = true) String sql) {
        JdbcBridge.executeEnd(start, statement, sql);
    }
}

package dev.coderd.metrics.instrumentation.jdbc;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code Connection.prepareStatement(String, ...)} and {@code prepareCall(String, ...)}: the SQL a statement was prepared with. */
public final class PrepareAdvice {
    private PrepareAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return Object statement, @Advice.Argument(0) String sql) {
        JdbcBridge.prepared(statement, sql);
    }
}

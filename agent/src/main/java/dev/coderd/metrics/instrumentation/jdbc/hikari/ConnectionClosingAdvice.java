package dev.coderd.metrics.instrumentation.jdbc.hikari;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code HikariPool.closeConnection(PoolEntry, String reason)}: why a connection closes. */
public final class ConnectionClosingAdvice {
    private ConnectionClosingAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object pool, @Advice.Argument(0) Object entry, @Advice.Argument(1) String reason) {
        JdbcBridge.connectionClosing(pool, entry, reason);
    }
}

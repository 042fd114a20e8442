package dev.coderd.metrics.instrumentation.jdbc.hikari;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code HikariPool.softEvictConnection(PoolEntry, String reason, boolean)}: a connection in use
 * when its lifetime ends is marked here and closed later under another reason.
 */
public final class ConnectionEvictingAdvice {
    private ConnectionEvictingAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object pool, @Advice.Argument(0) Object entry, @Advice.Argument(1) String reason) {
        JdbcBridge.connectionEvicting(pool, entry, reason);
    }
}

package dev.coderd.metrics.instrumentation.jdbc;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into a pool's shutdown ({@code HikariPool.shutdown()}, DBCP's {@code BasicDataSource.close()}): the pool's
 * series go, even when the shutdown was interrupted.
 */
public final class PoolShutdownAdvice {
    private PoolShutdownAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.This Object pool) {
        JdbcBridge.poolShutdown(pool);
    }
}

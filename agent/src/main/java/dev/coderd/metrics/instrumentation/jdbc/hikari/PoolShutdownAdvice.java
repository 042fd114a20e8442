package dev.coderd.metrics.instrumentation.jdbc.hikari;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code HikariPool.shutdown()}: the pool's series go, even when the shutdown was interrupted. */
public final class PoolShutdownAdvice {
    private PoolShutdownAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.This Object pool) {
        JdbcBridge.poolShutdown(pool);
    }
}

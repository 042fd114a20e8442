package dev.coderd.metrics.instrumentation.jdbc.hikari;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the end of {@code HikariPool(HikariConfig)}: a pool that started (one that failed to start never gets here). */
public final class PoolStartAdvice {
    private PoolStartAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object pool, @Advice.Argument(0) Object config) {
        JdbcBridge.poolStarted(pool, config);
    }
}

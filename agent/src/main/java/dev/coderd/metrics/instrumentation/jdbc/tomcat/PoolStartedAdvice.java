package dev.coderd.metrics.instrumentation.jdbc.tomcat;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the end of {@code ConnectionPool(PoolConfiguration)}: a pool that started (one that failed never gets here). */
public final class PoolStartedAdvice {
    private PoolStartedAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object pool) {
        JdbcBridge.tomcatJdbcStarted(pool);
    }
}

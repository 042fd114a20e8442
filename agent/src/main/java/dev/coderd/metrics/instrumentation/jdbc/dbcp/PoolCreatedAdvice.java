package dev.coderd.metrics.instrumentation.jdbc.dbcp;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of {@code BasicDataSource.createConnectionPool(factory)}: the data source made its pool
 * (lazily, at its first borrow, or again after a {@code restart()}); one that failed never gets here.
 */
public final class PoolCreatedAdvice {
    private PoolCreatedAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object dataSource) {
        JdbcBridge.dbcpStarted(dataSource);
    }
}

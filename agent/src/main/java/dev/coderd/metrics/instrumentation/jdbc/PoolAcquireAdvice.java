package dev.coderd.metrics.instrumentation.jdbc;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into a pool's borrow ({@code HikariPool.getConnection(long)}, DBCP's {@code BasicDataSource.getConnection()}):
 * one borrow, which may wait; {@code this} is the key the pool was registered under.
 */
public final class PoolAcquireAdvice {
    private PoolAcquireAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter() {
        JdbcBridge.acquireStart();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.This Object pool) {
        JdbcBridge.acquireEnd(pool);
    }
}

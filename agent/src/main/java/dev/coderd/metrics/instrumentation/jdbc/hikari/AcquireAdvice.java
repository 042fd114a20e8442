package dev.coderd.metrics.instrumentation.jdbc.hikari;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code HikariPool.getConnection(long)}: one borrow, which may wait. */
public final class AcquireAdvice {
    private AcquireAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter() {
        JdbcBridge.acquireStart();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.This Object pool) {
        JdbcBridge.acquireEnd(pool);
    }
}

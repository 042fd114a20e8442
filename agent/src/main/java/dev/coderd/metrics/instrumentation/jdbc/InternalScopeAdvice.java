package dev.coderd.metrics.instrumentation.jdbc;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined where a driver or pool works for itself ({@code Connection.isValid}, a pool's connection test and
 * set-up): statements executed inside are not the application's and do not count.
 */
public final class InternalScopeAdvice {
    private InternalScopeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static long enter() {
        return JdbcBridge.internalStart();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter long start) {
        JdbcBridge.internalEnd(start);
    }
}

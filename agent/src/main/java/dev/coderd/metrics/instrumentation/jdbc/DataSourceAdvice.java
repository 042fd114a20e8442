package dev.coderd.metrics.instrumentation.jdbc;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code DataSource.getConnection()}: the application's own data source, which the SQL gauges
 * borrow from, is the outermost one that returned a connection (see {@link DatabaseHook}).
 */
public final class DataSourceAdvice {
    private DataSourceAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static long enter() {
        return JdbcBridge.dataSourceEnter();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter long token, @Advice.This Object dataSource, @Advice.Thrown Throwable thrown) {
        JdbcBridge.dataSourceExit(token, dataSource, thrown);
    }
}

package dev.coderd.metrics.instrumentation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.context.RequestContext;
import dev.coderd.metrics.db.DbRecorder;
import dev.coderd.metrics.db.PoolRecorder;
import dev.coderd.metrics.db.SqlSummarizer;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.DbMetrics;
import dev.coderd.metrics.sqlgauge.AppDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Which data source the SQL gauges get: the application's, never a wrapper's inner one or a pool's own. */
class DatabaseHookTest {
    private final AgentRegistry registry = new AgentRegistry(2000);
    private final AppDataSource app = new AppDataSource();
    private final DatabaseHook hook = new DatabaseHook(new DbRecorder(new DbMetrics(registry, List::of), new SqlSummarizer(100),
            2000, new RequestContext(), () -> 0L), new PoolRecorder(10, () -> 0L), app);
    private final DataSource pool = new Named();
    private final DataSource driverSource = new Named();

    @Test
    void aPoolStartedInsideTheApplicationsFirstBorrowOffersThePoolNotItsDriverSource() {
        boolean outer = hook.dataSourceEnter();              // the application: pool.getConnection()
        long internal = hook.internalStart();                // HikariCP: PoolBase.newConnection, its own work
        boolean inner = hook.dataSourceEnter();              // ... DriverDataSource.getConnection()
        hook.dataSourceExit(inner, driverSource, true);
        hook.internalEnd(internal);
        assertThat(app.get()).isNull();
        hook.dataSourceExit(outer, pool, true);
        assertThat(app.get()).isSameAs(pool);
    }

    @Test
    void aPoolFillingItselfOnItsOwnThreadOffersNothingAndAFailedBorrowNeither() {
        long internal = hook.internalStart();
        hook.dataSourceExit(hook.dataSourceEnter(), driverSource, true);
        hook.internalEnd(internal);
        hook.dataSourceExit(hook.dataSourceEnter(), pool, false);  // threw: no connection
        assertThat(app.get()).isNull();
        hook.dataSourceExit(hook.dataSourceEnter(), pool, true);
        hook.dataSourceExit(hook.dataSourceEnter(), driverSource, true); // later offers do not replace the first
        assertThat(app.get()).isSameAs(pool);
    }

    /** A data source that is only an identity. */
    private static final class Named implements DataSource {
        @Override public Connection getConnection() { throw new UnsupportedOperationException(); }
        @Override public Connection getConnection(String u, String p) { throw new UnsupportedOperationException(); }
        @Override public PrintWriter getLogWriter() { return null; }
        @Override public void setLogWriter(PrintWriter out) { }
        @Override public void setLoginTimeout(int seconds) { }
        @Override public int getLoginTimeout() { return 0; }
        @Override public Logger getParentLogger() { return null; }
        @Override public <T> T unwrap(Class<T> iface) { return null; }
        @Override public boolean isWrapperFor(Class<?> iface) { return false; }
    }
}

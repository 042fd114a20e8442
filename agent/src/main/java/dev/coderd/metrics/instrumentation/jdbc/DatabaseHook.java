package dev.coderd.metrics.instrumentation.jdbc;

import dev.coderd.metrics.bridge.jdbc.JdbcHook;
import dev.coderd.metrics.context.CallDepth;
import dev.coderd.metrics.db.DbRecorder;
import dev.coderd.metrics.db.PoolRecorder;
import dev.coderd.metrics.instrumentation.jdbc.dbcp.DbcpPools;
import dev.coderd.metrics.instrumentation.jdbc.hikari.HikariPools;
import dev.coderd.metrics.instrumentation.jdbc.tomcat.TomcatJdbcPools;
import dev.coderd.metrics.sqlgauge.AppDataSource;
import java.sql.PreparedStatement;

/**
 * What {@link dev.coderd.metrics.bridge.jdbc.JdbcBridge} calls: statement executions go to the
 * {@link DbRecorder} with the SQL they ran (passed, or remembered from the statement's preparation in
 * {@link StatementSql}); pool events go to the {@link PoolRecorder}, through {@link HikariPools},
 * {@link DbcpPools} and {@link TomcatJdbcPools} where a library's own terms need turning into its; the data sources
 * the application uses are offered to the SQL gauges ({@link AppDataSource}).
 */
public final class DatabaseHook implements JdbcHook {
    /** Statements whose SQL is remembered at once; see {@link StatementSql}. */
    static final int REMEMBERED_STATEMENTS = 4096;

    private final DbRecorder statements;
    private final StatementSql sql = new StatementSql(REMEMBERED_STATEMENTS);
    private final PoolRecorder pools;
    private final HikariPools hikari;
    private final DbcpPools dbcp;
    private final TomcatJdbcPools tomcatJdbc;
    private final AppDataSource dataSources;
    private final CallDepth dataSourceDepth = new CallDepth();

    public DatabaseHook(DbRecorder statements, PoolRecorder pools, AppDataSource dataSources) {
        this.statements = statements;
        this.pools = pools;
        this.hikari = new HikariPools(pools);
        this.dbcp = new DbcpPools(pools);
        this.tomcatJdbc = new TomcatJdbcPools(pools);
        this.dataSources = dataSources;
    }

    @Override
    public long executeStart() {
        return statements.start();
    }

    @Override
    public void executeEnd(long start, Object statement, String text) {
        if (start != DbRecorder.NESTED && text == null) {
            text = sql.get(statement);
            if (text != null && !(statement instanceof PreparedStatement)) {
                sql.remove(statement); // a plain statement's batch ran: the next one names itself
            }
        }
        statements.end(start, text);
    }

    @Override
    public long internalStart() {
        return statements.enterInternal();
    }

    @Override
    public void internalEnd(long start) {
        statements.end(start, null);
    }

    @Override
    public void prepared(Object statement, String text) {
        sql.put(statement, text, false);
    }

    @Override
    public void batchAdded(Object statement, String text) {
        if (!(statement instanceof PreparedStatement)) { // PreparedStatement.addBatch(String) fails by the spec
            sql.put(statement, text, true);
        }
    }

    @Override
    public void batchCleared(Object statement) {
        if (!(statement instanceof PreparedStatement)) {
            sql.remove(statement);
        }
    }

    @Override
    public boolean dataSourceEnter() {
        return dataSourceDepth.enter();
    }

    /**
     * Offered: the outermost source, called outside any statement or pool-internal scope. A wrapper's inner
     * source and HikariCP's {@code DriverDataSource} (called inside {@code PoolBase.newConnection}, an internal
     * scope, whether the pool starts lazily, eagerly or on its own threads) are the pool's, not the application's.
     */
    @Override
    public void dataSourceExit(boolean outermost, Object dataSource, boolean gotOne) {
        dataSourceDepth.exit();
        if (outermost && gotOne && !statements.insideJdbc()) {
            dataSources.offer(dataSource);
        }
    }

    @Override
    public void poolStarted(Object pool, Object config) {
        hikari.started(pool, config);
    }

    @Override
    public void dbcpStarted(Object dataSource) {
        dbcp.started(dataSource);
    }

    @Override
    public void tomcatJdbcStarted(Object pool) {
        tomcatJdbc.started(pool);
    }

    @Override
    public void poolShutdown(Object pool) {
        pools.closed(pool);
    }

    @Override
    public void acquireStart() {
        pools.acquireStarted();
    }

    @Override
    public void acquireWait() {
        pools.waitStarted();
    }

    @Override
    public void acquireEnd(Object pool) {
        pools.acquireEnded(pool);
    }

    @Override
    public void connectionEvicting(Object pool, Object connection, String reason) {
        hikari.evicting(connection, reason);
    }

    @Override
    public void connectionClosing(Object pool, Object connection, String reason) {
        hikari.closing(pool, connection, reason);
    }
}

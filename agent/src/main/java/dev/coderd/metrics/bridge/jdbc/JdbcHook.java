package dev.coderd.metrics.bridge.jdbc;

/**
 * What the agent core implements for {@link JdbcBridge}. Plain JDK types only: this interface lives on the
 * bootstrap class path and is seen by every class loader (which cannot all see {@code java.sql}).
 */
public interface JdbcHook {
    /** A statement execution begins: its start time when it is the outermost one on this thread, else a marker. */
    long executeStart();

    /** The execution that {@link #executeStart()} began ended; {@code sql} is null for prepared statements. */
    void executeEnd(long start, Object statement, String sql);

    /** The driver or pool works for itself (a liveness check, a new connection): statements inside do not count. */
    long internalStart();

    void internalEnd(long start);

    /** A connection prepared {@code statement} from {@code sql}. */
    void prepared(Object statement, String sql);

    /** {@code Statement.addBatch(sql)}. */
    void batchAdded(Object statement, String sql);

    /** {@code Statement.clearBatch()}. */
    void batchCleared(Object statement);

    /** {@code DataSource.getConnection()} begins: true when it is the outermost such call on this thread. */
    boolean dataSourceEnter();

    /**
     * The call {@link #dataSourceEnter()} began ended; {@code gotOne}: with a connection. The application's own
     * data source is the outermost one, outside the driver's and the pool's own work (a pool's internal source,
     * called to open a physical connection, is not); the SQL gauges borrow from it.
     */
    void dataSourceExit(boolean outermost, Object dataSource, boolean gotOne);

    // --- connection pools -------------------------------------------------------------------------

    /** A HikariCP pool started; {@code config} is its configuration object. */
    void poolStarted(Object pool, Object config);

    /** An Apache Commons DBCP {@code BasicDataSource} (or Tomcat's copy) created its pool. */
    void dbcpStarted(Object dataSource);

    /** A Tomcat JDBC {@code ConnectionPool} started. */
    void tomcatJdbcStarted(Object pool);

    void poolShutdown(Object pool);

    /** This thread begins to borrow a connection from a pool. */
    void acquireStart();

    /** This thread found no idle connection and waits for one (never throws into the pool: the bridge catches). */
    void acquireWait();

    /** The borrow that {@link #acquireStart()} began ended, with a connection or without. */
    void acquireEnd(Object pool);

    /** The pool marked a connection for eviction, for {@code reason}. */
    void connectionEvicting(Object pool, Object connection, String reason);

    /** The pool closes a connection, for {@code reason}. */
    void connectionClosing(Object pool, Object connection, String reason);
}

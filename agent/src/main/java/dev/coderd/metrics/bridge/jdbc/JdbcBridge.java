package dev.coderd.metrics.bridge.jdbc;

import dev.coderd.metrics.bridge.AgentThread;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the JDBC and connection-pool advice calls, inlined into drivers, pools and their proxies in any class
 * loader. Until the core installs its {@link JdbcHook} every method is a no-op, and on the agent's own
 * threads ({@link AgentThread}) nothing is measured.
 *
 * <pre>
 * long start = JdbcBridge.executeStart();            // Statement.execute* enter
 * JdbcBridge.executeEnd(start, statement, sql);      // its exit, normal or exceptional
 * </pre>
 *
 * Nothing here throws by design.
 */
public final class JdbcBridge {
    /** {@link #executeStart()}'s answer when nothing was entered (no hook, or the agent's own thread). */
    public static final long NOT_ENTERED = Long.MIN_VALUE;

    private static volatile JdbcHook hook;

    private JdbcBridge() {}

    public static void install(JdbcHook installed) {
        hook = installed;
    }

    // --- statements ----------------------------------------------------------------------------------

    public static long executeStart() {
        JdbcHook h = hook;
        return h == null || AgentThread.current() ? NOT_ENTERED : h.executeStart();
    }

    public static void executeEnd(long start, Object statement, String sql) {
        JdbcHook h = hook;
        if (h != null && start != NOT_ENTERED) {
            h.executeEnd(start, statement, sql);
        }
    }

    public static long internalStart() {
        JdbcHook h = hook;
        return h == null || AgentThread.current() ? NOT_ENTERED : h.internalStart();
    }

    public static void internalEnd(long start) {
        JdbcHook h = hook;
        if (h != null && start != NOT_ENTERED) {
            h.internalEnd(start);
        }
    }

    public static void prepared(Object statement, String sql) {
        JdbcHook h = hook;
        if (h != null && statement != null && sql != null && !AgentThread.current()) {
            h.prepared(statement, sql);
        }
    }

    public static void batchAdded(Object statement, String sql) {
        JdbcHook h = hook;
        if (h != null && sql != null && !AgentThread.current()) {
            h.batchAdded(statement, sql);
        }
    }

    public static void batchCleared(Object statement) {
        JdbcHook h = hook;
        if (h != null && !AgentThread.current()) {
            h.batchCleared(statement);
        }
    }

    /** {@code DataSource.getConnection()} enter: {@link #NOT_ENTERED}, or a token for {@link #dataSourceExit}. */
    public static long dataSourceEnter() {
        JdbcHook h = hook;
        return h == null || AgentThread.current() ? NOT_ENTERED : h.dataSourceEnter() ? 1 : 0;
    }

    public static void dataSourceExit(long token, Object dataSource, Throwable thrown) {
        JdbcHook h = hook;
        if (h != null && token != NOT_ENTERED) {
            h.dataSourceExit(token == 1, dataSource, thrown == null);
        }
    }

    // --- connection pools ------------------------------------------------------------------------------

    public static void poolStarted(Object pool, Object config) {
        JdbcHook h = hook;
        if (h != null) {
            h.poolStarted(pool, config);
        }
    }

    public static void tomcatJdbcStarted(Object pool) {
        JdbcHook h = hook;
        if (h != null) {
            h.tomcatJdbcStarted(pool);
        }
    }

    public static void dbcpStarted(Object dataSource) {
        JdbcHook h = hook;
        if (h != null) {
            h.dbcpStarted(dataSource);
        }
    }

    public static void poolShutdown(Object pool) {
        JdbcHook h = hook;
        if (h != null) {
            h.poolShutdown(pool);
        }
    }

    public static void acquireStart() {
        JdbcHook h = hook;
        if (h != null && !AgentThread.current()) {
            h.acquireStart();
        }
    }

    /** A borrower found no idle connection and now blocks for one (commons-pool's deque, at its blocking takes). */
    public static void acquireWait() {
        JdbcHook h = hook;
        if (h != null && !AgentThread.current()) {
            h.acquireWait();
        }
    }

    /**
     * Stands in for a pool's blocking poll for a connection, where the pool reaches it only when it found no idle
     * connection and may open no more (a member substitution, not advice): HikariCP's
     * {@code handoffQueue.poll(timeout, unit)} in {@code ConcurrentBag.borrow}, Tomcat JDBC's
     * {@code idle.poll(timeout, unit)} in {@code ConnectionPool.borrowConnection}. The borrower now waits.
     */
    public static Object waitingPoll(BlockingQueue<?> queue, long timeout, TimeUnit unit) throws InterruptedException {
        JdbcHook h = hook;
        if (h != null && !AgentThread.current()) {
            try {
                h.acquireWait();
            } catch (Throwable ignored) {
                // the wait goes on as without the agent
            }
        }
        return queue.poll(timeout, unit);
    }

    public static void acquireEnd(Object pool) {
        JdbcHook h = hook;
        if (h != null && !AgentThread.current()) {
            h.acquireEnd(pool);
        }
    }

    public static void connectionEvicting(Object pool, Object connection, String reason) {
        JdbcHook h = hook;
        if (h != null) {
            h.connectionEvicting(pool, connection, reason);
        }
    }

    public static void connectionClosing(Object pool, Object connection, String reason) {
        JdbcHook h = hook;
        if (h != null) {
            h.connectionClosing(pool, connection, reason);
        }
    }
}

package dev.coderd.metrics.db;

import dev.coderd.metrics.context.Clock;
import dev.coderd.metrics.metrics.DbMetrics.PoolReading;
import dev.coderd.metrics.metrics.DbMetrics.PoolStat;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The connection pools behind {@code go_sql_*{db_name}}: which pools are open, and what only events can tell
 * (waits and their time, closings by reason). What a pool knows itself (its size, in use, idle) is read from
 * its {@link PoolView} at scrape time. Fed by the pool instrumentations ({@code instrumentation/jdbc/hikari}, {@code dbcp}, {@code tomcat}).
 *
 * <pre>
 * pools.opened(hikariPool, view);         // a pool started: its series appear
 * pools.acquireStarted();                 // a thread borrows a connection ...
 * pools.waitStarted();                    // ... finds none idle and waits
 * pools.acquireEnded(hikariPool);         // ... got one (or failed): one wait, its time
 * pools.connectionClosed(hikariPool, Closing.LIFETIME);
 * pools.closed(hikariPool);               // shut down: its series go
 * </pre>
 *
 * <p>Pools are held weakly (a pool dropped without shutdown goes at the next scrape) and at most
 * {@code limit} at once; two open pools with one name show the first. Borrowing costs a thread-local read
 * and write; only a borrow that waited looks its pool up (a scan of the few open pools).
 */
public final class PoolRecorder {
    /** Why a pool closed a connection, in {@code database/sql}'s terms. */
    public enum Closing {
        MAX_IDLE(PoolStat.MAX_IDLE_CLOSED),
        MAX_IDLE_TIME(PoolStat.MAX_IDLE_TIME_CLOSED),
        MAX_LIFETIME(PoolStat.MAX_LIFETIME_CLOSED);

        final PoolStat stat;

        Closing(PoolStat stat) {
            this.stat = stat;
        }
    }

    /** What a pool library tells about one pool at scrape time; NaN for what it cannot. */
    public interface PoolView {
        String name();

        double maxOpen();

        double open();

        double inUse();

        double idle();

        /** Whether this library's pool ever closes connections for {@code reason} (else that series is left out). */
        boolean closes(Closing reason);

        /** Whether {@code dataSource} is the {@code javax.sql.DataSource} that hands out this pool's connections. */
        boolean servedBy(Object dataSource);
    }

    private final int limit;
    private final Clock clock;
    private final CopyOnWriteArrayList<Pool> pools = new CopyOnWriteArrayList<>();
    /** Per thread: [0] borrows in progress, [1] 1 once the outermost one waits, [2] when it began to wait. */
    private final ThreadLocal<long[]> borrowing = ThreadLocal.withInitial(() -> new long[3]);

    public PoolRecorder(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /** A pool started (again: ignored). */
    public void opened(Object pool, PoolView view) {
        synchronized (pools) {
            if (find(pool) == null && pools.size() < limit) {
                pools.add(new Pool(pool, view));
            }
        }
    }

    /** A pool shut down: its series go. */
    public void closed(Object pool) {
        pools.removeIf(p -> p.library.get() == pool);
    }

    public void acquireStarted() {
        long[] b = borrowing.get();
        if (b[0]++ == 0) {
            b[1] = 0;
        }
    }

    /** Inside a borrow: this thread found no idle connection. Elsewhere (a pool's own thread): nothing. */
    public void waitStarted() {
        long[] b = borrowing.get();
        if (b[0] > 0 && b[1] == 0) {
            b[1] = 1;
            b[2] = clock.nanoTime();
        }
    }

    public void acquireEnded(Object pool) {
        long[] b = borrowing.get();
        if (b[0] == 0 || --b[0] > 0 || b[1] == 0) {
            return;
        }
        b[1] = 0;
        Pool p = find(pool);
        if (p != null) {
            p.waits.increment();
            p.waitNanos.add(clock.nanoTime() - b[2]);
        }
    }

    public void connectionClosed(Object pool, Closing reason) {
        Pool p = find(pool);
        if (p != null) {
            p.closings[reason.ordinal()].increment();
        }
    }

    /** The open pools, one per name, for the {@code go_sql_*} families. */
    public List<PoolReading> readings() {
        List<PoolReading> open = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Pool p : pools) {
            if (p.library.get() == null) {
                pools.remove(p); // collected without a shutdown
            } else if (names.add(p.view.name())) {
                open.add(p);
            }
        }
        return open;
    }

    /**
     * The idle connections of the pool behind {@code dataSource}, NaN when no known pool serves it: the SQL
     * gauges borrow only from a pool with a connection to spare, never making a request wait.
     */
    public double idleConnections(Object dataSource) {
        Pool p = servedBy(dataSource);
        return p == null ? Double.NaN : p.view.idle();
    }

    /**
     * The agent's own SQL holds ({@code +1}) or gave back ({@code -1}) a connection of the pool behind
     * {@code dataSource}: the agent's work is in no family, so while it holds one, that connection counts as
     * idle, as it would be without the agent (called after the borrow and before the return: never negative).
     */
    public void agentHolds(Object dataSource, int delta) {
        Pool p = servedBy(dataSource);
        if (p != null) {
            p.agentHeld.addAndGet(delta);
        }
    }

    private Pool servedBy(Object dataSource) {
        for (Pool p : pools) {
            if (p.library.get() != null && p.view.servedBy(dataSource)) {
                return p;
            }
        }
        return null;
    }

    private Pool find(Object pool) {
        for (Pool p : pools) {
            if (p.library.get() == pool) {
                return p;
            }
        }
        return null;
    }

    private static final class Pool implements PoolReading {
        final WeakReference<Object> library;
        final PoolView view;
        final LongAdder waits = new LongAdder();
        final AtomicInteger agentHeld = new AtomicInteger();
        final LongAdder waitNanos = new LongAdder();
        final LongAdder[] closings = new LongAdder[Closing.values().length];

        Pool(Object library, PoolView view) {
            this.library = new WeakReference<>(library);
            this.view = view;
            for (int i = 0; i < closings.length; i++) {
                closings[i] = new LongAdder();
            }
        }

        @Override
        public String dbName() {
            return view.name();
        }

        @Override
        public double value(PoolStat stat) {
            switch (stat) {
                case MAX_OPEN: return view.maxOpen();
                case OPEN: return view.open();
                case IN_USE: return view.inUse() - agentHeld.get();
                case IDLE: return view.idle() + agentHeld.get();
                case WAIT_COUNT: return waits.sum();
                case WAIT_DURATION: return waitNanos.sum() / 1e9;
                default:
                    for (Closing c : Closing.values()) {
                        if (c.stat == stat) {
                            return view.closes(c) ? closings[c.ordinal()].sum() : Double.NaN;
                        }
                    }
                    return Double.NaN;
            }
        }
    }
}

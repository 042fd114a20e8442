package dev.coderd.metrics.instrumentation.jdbc;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The SQL each prepared statement was prepared with (and a plain statement's pending batch), for the
 * executions that do not pass it ({@code PreparedStatement.executeQuery()}, {@code executeBatch()}). A field
 * on the statement would be cheaper, but the agent changes no class's shape (classes may already be loaded).
 *
 * <p>Bounded and weak: a fixed table of {@code capacity} slots, each statement looked for in
 * {@value #WAYS} neighbouring slots of its identity hash. An entry holds its statement weakly, so a closed and
 * dropped statement frees its slot; when all {@value #WAYS} are taken by live statements the oldest-placed
 * one is replaced, and its executions count as {@code OTHER}. A look-up allocates nothing and takes no lock;
 * remembering a statement allocates one small entry.
 */
final class StatementSql {
    static final int WAYS = 4;

    private final AtomicReferenceArray<Entry> slots;
    private final int mask;

    StatementSql(int capacity) {
        int size = Integer.highestOneBit(Math.max(WAYS, capacity - 1) << 1);
        slots = new AtomicReferenceArray<>(size);
        mask = size - 1;
    }

    private static final class Entry extends WeakReference<Object> {
        final String sql;

        Entry(Object statement, String sql) {
            super(statement);
            this.sql = sql;
        }
    }

    private static int home(Object statement) {
        int h = System.identityHashCode(statement);
        return h ^ (h >>> 16);
    }

    /** The SQL remembered for {@code statement}, or null. */
    String get(Object statement) {
        int home = home(statement);
        for (int i = 0; i < WAYS; i++) {
            Entry e = slots.get((home + i) & mask);
            if (e != null && e.get() == statement) {
                return e.sql;
            }
        }
        return null;
    }

    /** Remembers {@code sql} for {@code statement}; with {@code ifAbsent}, keeps SQL already remembered. */
    void put(Object statement, String sql, boolean ifAbsent) {
        int home = home(statement);
        while (true) {
            int free = -1;
            Entry freeEntry = null;
            for (int i = 0; i < WAYS; i++) {
                int slot = (home + i) & mask;
                Entry e = slots.get(slot);
                Object held = e == null ? null : e.get();
                if (held == statement) {
                    if (ifAbsent || e.sql.equals(sql)) {
                        return; // nested prepareStatement overloads, or a proxy's and its driver's: once is enough
                    }
                    if (slots.compareAndSet(slot, e, new Entry(statement, sql))) {
                        return;
                    }
                    free = -2; // raced: look again
                    break;
                }
                if (held == null && free == -1) {
                    free = slot;
                    freeEntry = e;
                }
            }
            if (free == -2) {
                continue;
            }
            int slot = free >= 0 ? free : home & mask; // all taken by live statements: replace the first
            Entry expected = free >= 0 ? freeEntry : slots.get(slot);
            if (slots.compareAndSet(slot, expected, new Entry(statement, sql))) {
                return;
            }
        }
    }

    /** Forgets {@code statement}'s SQL (a plain statement's batch once executed or cleared). */
    void remove(Object statement) {
        int home = home(statement);
        for (int i = 0; i < WAYS; i++) {
            int slot = (home + i) & mask;
            Entry e = slots.get(slot);
            if (e != null && e.get() == statement) {
                slots.compareAndSet(slot, e, null);
                return;
            }
        }
    }
}

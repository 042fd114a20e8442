package dev.coderd.metrics.jobs;

import dev.coderd.metrics.context.Clock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.IntConsumer;

/**
 * The tasks handed to executors and not yet started, keyed by the task object's identity: the state each job
 * carries from its hand-over to its start (its type and when it became due), without a field on the task and
 * without wrapping it, so the application's {@code Future}s, {@code remove}, {@code getQueue()} and
 * {@code shutdownNow} see exactly the objects they gave.
 *
 * <pre>
 * int slot = pending.insert(task, type, dueAt, PendingJobs.SUBMITTING);   // before the executor sees the task
 * pending.promote(token, now);                                              // the hand-over returned: it is queued
 * long claimed = pending.claim(task, PendingJobs.ANY);                       // a worker starts it: exactly once
 * </pre>
 *
 * <p>An open-addressed table of preallocated arrays: a task lives in one of {@link #WINDOW} slots after its
 * identity hash, so a lookup reads a cache line of slot states and one of keys. Each slot's state moves by
 * compare-and-set only; whoever moves it out of a pending state owns it (a task is started, cancelled or
 * removed once). No locks, no allocation after construction. When all slots of a task's window are taken the
 * task is not followed ({@link #insert} returns 0): memory stays bounded whatever the backlog. The table holds
 * a pending task strongly, as the executor's queue does; a task that the application takes out of a queue
 * behind the executor's back ({@code getQueue().clear()}) is never seen to leave, a limit the README names.
 */
final class PendingJobs {
    /** Slot states, the low bits of a slot's word; the rest is the slot's stamp, new for every entry. */
    static final int FREE = 0;
    static final int BUSY = 1;
    /** Inserted; its hand-over call has not returned yet (it may still be rejected). */
    static final int SUBMITTING = 2;
    /** Accepted, not due yet (a delayed or periodic run): it becomes a queued job when due. */
    static final int DELAYED = 3;
    /** Accepted and due: counted in enqueued and in the current-enqueued gauge. */
    static final int QUEUED = 4;

    static final int ANY = (1 << SUBMITTING) | (1 << DELAYED) | (1 << QUEUED);
    static final int NOT_ACCEPTED = (1 << SUBMITTING) | (1 << DELAYED);

    static final int WINDOW = 32;
    /** Tokens address slots with 20 bits; 2^19 slots is plenty for one JVM's queues. */
    static final int MAX_SIZE = 1 << 19;
    private static final int STATE_BITS = 3;
    private static final int STATE_MASK = (1 << STATE_BITS) - 1;
    private static final int STAMP_MASK = (1 << 11) - 1;
    private static final int SLOT_BITS = 20;
    private static final int SLOT_MASK = (1 << SLOT_BITS) - 1;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long WORD_MASK = 0xFFFF_FFFFL;

    private final int mask;
    private final int shift;
    private final Object[] keys;
    /**
     * Two longs per slot, so that a slot's state is one cache line besides its key: {@code type << 32 | word}
     * (the word being {@code stamp << 3 | state}; the stamp changes with every entry, so a stale token or read
     * never matches), then the time the entry is due.
     */
    private final long[] slots;

    /**
     * A table for {@code capacity} waiting tasks: four slots each (rounded up to a power of two), so that at
     * capacity a quarter of the slots are taken and a full window stays improbable.
     */
    PendingJobs(int capacity) {
        int wanted = (int) Math.min(MAX_SIZE, 4L * capacity);
        int size = Integer.highestOneBit(Math.max(WINDOW, wanted) - 1) << 1;
        mask = size - 1;
        shift = 32 - Integer.numberOfTrailingZeros(size);
        keys = new Object[size];
        slots = new long[2 * size];
    }

    int size() {
        return keys.length;
    }

    private int home(Object task) {
        return (System.identityHashCode(task) * 0x9E3779B9) >>> shift;
    }

    private long read(int s) {
        return (long) SLOTS.getAcquire(slots, 2 * s);
    }

    private boolean swap(int s, long expected, int word) {
        return SLOTS.compareAndSet(slots, 2 * s, expected, (expected & ~WORD_MASK) | (word & WORD_MASK));
    }

    private static int wordOf(long slot) {
        return (int) slot;
    }

    private static int word(int stamp, int state) {
        return (stamp << STATE_BITS) | state;
    }

    private static int stampOf(int word) {
        return word >>> STATE_BITS;
    }

    /** Follows {@code task} in {@code state}; returns its token (never 0), or 0 when its window is full. */
    int insert(Object task, int type, long due, int state) {
        int home = home(task);
        for (int i = 0; i < WINDOW; i++) {
            int s = (home + i) & mask;
            long slot = (long) SLOTS.getVolatile(slots, 2 * s);
            int w = wordOf(slot);
            if ((w & STATE_MASK) == FREE) {
                int stamp = (stampOf(w) + 1) & STAMP_MASK;
                if (swap(s, slot, word(stamp, BUSY))) {
                    keys[s] = task;
                    slots[2 * s + 1] = due;
                    SLOTS.setRelease(slots, 2 * s, ((long) type << 32) | (word(stamp, state) & WORD_MASK));
                    return (stamp << SLOT_BITS) | (s + 1);
                }
            }
        }
        return 0;
    }

    /**
     * The hand-over of the entry behind {@code token} returned: if that entry is still {@link #SUBMITTING} (or
     * {@link #DELAYED} and due by {@code clock}, read only then) it becomes {@link #QUEUED}. Returns the entry's
     * type when it moved (the caller counts it), else -1 (it started, or was rejected or removed, meanwhile).
     */
    int promote(int token, Clock clock) {
        int s = (token & SLOT_MASK) - 1;
        int stamp = token >>> SLOT_BITS;
        long slot = read(s);
        int w = wordOf(slot);
        int st = w & STATE_MASK;
        if (stampOf(w) == stamp && (st == SUBMITTING || (st == DELAYED && slots[2 * s + 1] - clock.nanoTime() <= 0))
                && swap(s, slot, word(stamp, QUEUED))) {
            return (int) (slot >>> 32);
        }
        return -1;
    }

    /** Takes the entry behind {@code token} out if it is not accepted yet (its hand-over threw); true if it did. */
    boolean cancelSubmit(int token) {
        int s = (token & SLOT_MASK) - 1;
        int stamp = token >>> SLOT_BITS;
        long slot = read(s);
        int w = wordOf(slot);
        int st = w & STATE_MASK;
        if (stampOf(w) == stamp && (st == SUBMITTING || st == DELAYED) && swap(s, slot, word(stamp, BUSY))) {
            release(s);
            return true;
        }
        return false;
    }

    /**
     * Claims an entry of {@code task} whose state is in {@code allowed} (a mask of {@code 1 << state}); exactly
     * one caller gets each entry. Returns {@code slot << 8 | previous state}, the slot held {@link #BUSY} until
     * the caller has read it and calls {@link #release}; or -1 when there is none.
     */
    long claim(Object task, int allowed) {
        int home = home(task);
        for (int i = 0; i < WINDOW; i++) {
            int s = (home + i) & mask;
            for (int attempt = 0; attempt < 8; attempt++) {
                long slot = read(s);
                int w = wordOf(slot);
                int st = w & STATE_MASK;
                if (st < SUBMITTING || (allowed & (1 << st)) == 0 || keys[s] != task) {
                    break;
                }
                if (swap(s, slot, word(stampOf(w), BUSY))) {
                    return ((long) s << 8) | st; // same stamp: the entry whose key we read
                }
                // the slot moved between the read and the swap (a promotion): look again
            }
        }
        return -1;
    }

    static int slotOf(long claimed) {
        return (int) (claimed >>> 8);
    }

    static int stateOf(long claimed) {
        return (int) (claimed & 0xFF);
    }

    /** The type of a slot held {@link #BUSY}. */
    int type(int s) {
        return (int) (slots[2 * s] >>> 32);
    }

    /** When the entry in a slot held {@link #BUSY} was submitted or became due. */
    long dueAt(int s) {
        return slots[2 * s + 1];
    }

    /** Frees a slot held {@link #BUSY}. */
    void release(int s) {
        keys[s] = null;
        long slot = (long) SLOTS.getVolatile(slots, 2 * s);
        SLOTS.setRelease(slots, 2 * s, slot & ~WORD_MASK | (word(stampOf(wordOf(slot)), FREE) & WORD_MASK));
    }

    /** Every {@link #DELAYED} entry due at {@code now} becomes {@link #QUEUED}; its type goes to {@code counted}. */
    void promoteDue(long now, IntConsumer counted) {
        for (int s = 0; s < keys.length; s++) {
            long slot = read(s);
            int w = wordOf(slot);
            if ((w & STATE_MASK) == DELAYED && slots[2 * s + 1] - now <= 0 && swap(s, slot, word(stampOf(w), QUEUED))) {
                counted.accept((int) (slot >>> 32));
            }
        }
    }
}

package dev.coderd.metrics.context;

/**
 * "Count only the outermost call" for one concern, per thread: nested servlets and filters of one request,
 * a pool proxy's statement calling the driver's, an executor handing a task to another executor.
 *
 * <pre>
 * private final CallDepth depth = new CallDepth();
 * if (depth.enter()) { ...measure... }   // true only for the outermost entry on this thread
 * ...
 * depth.exit();                           // for every enter, outermost or not
 * </pre>
 *
 * <p>One instance per concern, so an HTTP request's depth never hides a statement executed inside it.
 * No allocation after a thread's first use.
 */
public final class CallDepth {
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    /** Counts one entry; true when it is the outermost one on this thread. */
    public boolean enter() {
        return depth.get()[0]++ == 0;
    }

    /** Undoes one {@link #enter()}; true when this thread is now outside every call. Extra exits are ignored. */
    public boolean exit() {
        int[] d = depth.get();
        return d[0] > 0 && --d[0] == 0;
    }

    /** How deep this thread is (0 outside every call). */
    public int get() {
        return depth.get()[0];
    }
}

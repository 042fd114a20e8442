package dev.coderd.metrics.instrumentation.jdbc;

import java.lang.ref.WeakReference;
import java.lang.reflect.Method;

/**
 * One public numeric getter of a pool library's object ({@code getActiveConnections}, {@code getNumIdle}),
 * read reflectively at scrape time: the agent cannot name the library's types. The object is held weakly;
 * once it is gone, or when the call fails, the reading is NaN (the series is left out of that scrape).
 */
public final class PoolGetter {
    private final WeakReference<Object> target;
    private final Method getter;

    private PoolGetter(Object target, Method getter) {
        this.target = new WeakReference<>(target);
        this.getter = getter;
    }

    /** {@code target}'s public no-argument method {@code name}; throws when it has none. */
    public static PoolGetter of(Object target, String name) throws NoSuchMethodException {
        return new PoolGetter(target, target.getClass().getMethod(name));
    }

    public double read() {
        Object t = target.get();
        if (t == null) {
            return Double.NaN;
        }
        try {
            return ((Number) getter.invoke(t)).doubleValue();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Double.NaN;
        }
    }
}

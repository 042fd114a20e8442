package dev.coderd.metrics.http;

import dev.coderd.metrics.metrics.InFlightGauge;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One request being measured, from its outermost dispatch to its end (or its async completion). Stored on
 * the request as an attribute, so later dispatches of the same request (error pages, async re-dispatch)
 * find it and do not count again.
 *
 * <p>Reused: each thread keeps the scope of its last synchronous request and resets it for the next, so a
 * request costs no allocation. A scope that goes async leaves its thread for good and is never reused.
 */
final class RequestScope {
    static final int ACTIVE = 0;
    static final int ASYNC = 1;
    static final int ENDED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(RequestScope.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    long startNanos;
    int method;
    boolean websocketUpgrade;
    volatile RouteSeries route;
    /** Set once a framework named the route: the first one wins, so a forward's target does not rename it. */
    volatile boolean frameworkRoute;
    /** The concurrent-requests point this request incremented, or null (websocket upgrades never count). */
    volatile InFlightGauge concurrent;
    private volatile int state = ENDED;

    /** Starts measuring a new request; the caller publishes the scope only after this returns. */
    RequestScope begin(long startNanos, int method, boolean websocketUpgrade, RouteSeries route) {
        this.startNanos = startNanos;
        this.method = method;
        this.websocketUpgrade = websocketUpgrade;
        this.route = route;
        this.frameworkRoute = false;
        this.concurrent = null;
        this.state = ACTIVE;
        return this;
    }

    int state() {
        return state;
    }

    boolean goAsync() {
        return STATE.compareAndSet(this, ACTIVE, ASYNC);
    }

    /** True for exactly one caller: the one that ends the request. */
    boolean end() {
        return (int) STATE.getAndSet(this, ENDED) != ENDED;
    }
}

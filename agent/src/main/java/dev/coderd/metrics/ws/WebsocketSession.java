package dev.coderd.metrics.ws;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One websocket session being measured, from its open to its close. It lives only where the container keeps
 * the session's own state (its user properties, under the bridge's key), so it is garbage with the session and
 * the agent holds nothing per session. Its state allows one open and one end, whatever the container calls.
 */
public final class WebsocketSession {
    private static final int NEW = 0;
    private static final int OPEN = 1;
    private static final int ENDED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WebsocketSession.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final SessionRoute route;
    long startNanos;
    private volatile int state = NEW;

    WebsocketSession(SessionRoute route) {
        this.route = route;
    }

    /** True for the one call that opens it; {@code startNanos} is set before the state is published. */
    boolean open(long nowNanos) {
        startNanos = nowNanos;
        return STATE.compareAndSet(this, NEW, OPEN);
    }

    /** True for the one call that ends an open session. */
    boolean end() {
        return STATE.compareAndSet(this, OPEN, ENDED);
    }

    /** The session's route template: its {@code path} label. */
    public String path() {
        return route.path;
    }

    @Override
    public String toString() {
        return "coderd-metrics-agent websocket session " + route.path; // shown when an application dumps its properties
    }
}

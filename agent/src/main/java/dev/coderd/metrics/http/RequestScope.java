package dev.coderd.metrics.http;

import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request being measured, from its outermost dispatch to its end (or its async completion). Stored on
 * the request as an attribute, so later dispatches of the same request (error pages, async re-dispatch)
 * find it and do not count again.
 */
final class RequestScope {
    static final int ACTIVE = 0;
    static final int ASYNC = 1;
    static final int ENDED = 2;

    final long startNanos;
    final int method;
    final boolean websocketUpgrade;
    volatile RouteSeries route;
    /** Set once a framework named the route: the first one wins, so a forward's target does not rename it. */
    volatile boolean frameworkRoute;
    /** The concurrent-requests point this request incremented, or null (websocket upgrades never count). */
    volatile GaugeDataPoint concurrent;
    final AtomicInteger state = new AtomicInteger(ACTIVE);

    RequestScope(long startNanos, int method, boolean websocketUpgrade, RouteSeries route) {
        this.startNanos = startNanos;
        this.method = method;
        this.websocketUpgrade = websocketUpgrade;
        this.route = route;
    }
}

package dev.coderd.metrics.context;

/**
 * The HTTP request a thread is serving, as far as other recorders need to know it: its route template, the
 * {@code path} label of {@code coderd_api_*}. The HTTP recorder writes it; any recorder reads it (the JDBC
 * recorder's {@code route} label) without depending on the HTTP recorder.
 *
 * <pre>
 * context.enter("/api/v2/users/{user}");   // the HTTP recorder, when a request starts or its route moves
 * String route = context.route();          // anyone on the same thread: the template, or "" outside a request
 * context.exit();                          // the HTTP recorder, when the outermost dispatch returns
 * </pre>
 *
 * <p>No allocation after a thread's first use: each thread keeps one mutable slot.
 */
public final class RequestContext {
    /** The {@code route} of work done outside any request: background jobs, start-up. */
    public static final String NO_ROUTE = "";

    private final ThreadLocal<String[]> slot = ThreadLocal.withInitial(() -> new String[] {NO_ROUTE});

    /** This thread now serves a request whose route is {@code route} (or moved to it). */
    public void enter(String route) {
        slot.get()[0] = route;
    }

    /** This thread no longer serves a request. */
    public void exit() {
        slot.get()[0] = NO_ROUTE;
    }

    /** The route template of the request this thread serves, or {@link #NO_ROUTE}. */
    public String route() {
        return slot.get()[0];
    }
}

package dev.coderd.metrics.bridge.http;

/**
 * What the agent core implements for {@link HttpBridge}. Plain JDK types only: this interface lives on the
 * bootstrap class path and is seen by every class loader.
 */
public interface HttpHook {
    /** Counts one servlet or filter entry on this thread; true when it is the outermost one. */
    boolean enterDispatch();

    /** Undoes {@link #enterDispatch()}; called for every entry, outermost or not. */
    void exitDispatch();

    /**
     * The outermost dispatch of a request began. {@code existing} is the scope stored on the request by an
     * earlier dispatch (error page, async re-dispatch), or null for a new request.
     */
    Object startRequest(Object existing, String method, String uri, String servletMapping, String upgrade);

    /** The outermost dispatch returned; {@code asyncContext} is non-null when the request went async. */
    void endDispatch(Object scope, int status, Throwable thrown, Object asyncContext);

    /** A framework resolved the route template of the request this thread is serving. */
    void routeTemplate(Object template);

    /** A new {@code com.sun.net.httpserver.Filter} for one JDK server context. */
    Object jdkServerFilter();
}

package dev.coderd.metrics.exporter;

/** One path served by the {@link MetricsListener}. */
interface Endpoint {
    HttpResponse handle(HttpRequest request);

    /** True for endpoints whose work may take a while (a scrape): they run on a worker, never on the loop. */
    default boolean blocking() {
        return false;
    }

    /** The methods it serves, as the {@code Allow} header lists them. */
    default String allow() {
        return "GET, HEAD";
    }

    /** The answer when every worker is taken and the queue is full. */
    default HttpResponse busy() {
        return HttpResponse.text(503, "the agent is busy; try again\n").header("Retry-After", "1");
    }
}

package dev.coderd.metrics.exporter;

/** One path served by the {@link MetricsListener}. */
interface Endpoint {
    HttpResponse handle(HttpRequest request);
}

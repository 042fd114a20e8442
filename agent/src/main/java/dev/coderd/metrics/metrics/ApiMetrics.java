package dev.coderd.metrics.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/**
 * The {@code coderd_api_*} families of the metrics contract: names, HELP texts and buckets, registered once.
 *
 * <pre>
 * # HELP coderd_api_requests_processed_total The total number of processed API requests
 * # TYPE coderd_api_requests_processed_total counter
 * coderd_api_requests_processed_total{code="200",method="GET",path="/api/v2/users/{user}"} 17.0
 * # HELP coderd_api_request_latencies_ms Latency distribution of requests in milliseconds
 * # TYPE coderd_api_request_latencies_ms histogram
 * coderd_api_request_latencies_ms_bucket{method="GET",path="/api/v2/users/{user}",le="50.0"} 17
 * </pre>
 *
 * Recorded by {@link dev.coderd.metrics.http.HttpRecorder}, which the servlet, Spring MVC and JDK HTTP server
 * instrumentations ({@code dev.coderd.metrics.instrumentation.http}) feed.
 */
public final class ApiMetrics {
    public static final String REQUESTS_PROCESSED = "coderd_api_requests_processed_total";
    public static final String REQUESTS_PROCESSED_HELP = "The total number of processed API requests";
    public static final String REQUEST_LATENCIES = "coderd_api_request_latencies_ms";
    public static final String REQUEST_LATENCIES_HELP = "Latency distribution of requests in milliseconds";
    public static final String CONCURRENT_REQUESTS = "coderd_api_concurrent_requests";
    public static final String CONCURRENT_REQUESTS_HELP = "The total number of concurrent API requests";
    public static final String CONCURRENT_WEBSOCKETS = "coderd_api_concurrent_websockets";
    public static final String CONCURRENT_WEBSOCKETS_HELP = "The total number of concurrent API websockets";
    public static final String WEBSOCKET_DURATIONS = "coderd_api_websocket_durations_ms";
    public static final String WEBSOCKET_DURATIONS_HELP = "Websocket duration distribution of requests in milliseconds";

    static final double[] LATENCY_BUCKETS_MS = {1, 5, 10, 25, 50, 100, 500, 1000, 5000, 10000, 30000};
    static final double[] WEBSOCKET_BUCKETS_MS = {1, 1000, 60000, 3600000, 54000000, 108000000};

    public final SeriesLimiter<CounterDataPoint> processed;
    public final SeriesLimiter<DistributionDataPoint> latencies;
    public final SeriesLimiter<InFlightGauge> concurrentRequests;
    public final SeriesLimiter<InFlightGauge> concurrentWebsockets;
    public final SeriesLimiter<DistributionDataPoint> websocketDurations;

    public ApiMetrics(AgentRegistry registry) {
        // The in-flight gauges are read by every scrape before the other families (AgentRegistry.readFirst), and the
        // recorder counts, observes, then lowers the gauge: a scrape that finds a request no longer in flight also
        // finds it counted.
        concurrentRequests = registry.limitedGauge(CONCURRENT_REQUESTS, CONCURRENT_REQUESTS_HELP, "method", "path");
        processed = registry.limitedCounter(REQUESTS_PROCESSED, REQUESTS_PROCESSED_HELP, "code", "method", "path");
        latencies = registry.limitedHistogram(REQUEST_LATENCIES, REQUEST_LATENCIES_HELP, LATENCY_BUCKETS_MS, "method", "path");
        concurrentWebsockets = registry.limitedGauge(CONCURRENT_WEBSOCKETS, CONCURRENT_WEBSOCKETS_HELP, "path");
        websocketDurations = registry.limitedHistogram(WEBSOCKET_DURATIONS, WEBSOCKET_DURATIONS_HELP, WEBSOCKET_BUCKETS_MS, "path");
    }
}

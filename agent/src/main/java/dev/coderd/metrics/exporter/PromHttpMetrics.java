package dev.coderd.metrics.exporter;

import dev.coderd.metrics.metrics.AgentRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scrape handler's own families, as Go's {@code promhttp} exposes them:
 *
 * <pre>
 * promhttp_metric_handler_requests_in_flight 1.0
 * promhttp_metric_handler_requests_total{code="200"} 41.0
 * promhttp_metric_handler_requests_total{code="500"} 0.0
 * promhttp_metric_handler_requests_total{code="503"} 0.0
 * </pre>
 *
 * A scrape counts in the in-flight gauge while it runs (it sees itself) and in the total after it finished.
 * Past {@link #MAX_IN_FLIGHT} concurrent scrapes, more are refused with {@code 503}, as promhttp does.
 */
final class PromHttpMetrics {
    static final String REQUESTS = "promhttp_metric_handler_requests_total";
    static final String REQUESTS_HELP = "Total number of scrapes by HTTP status code.";
    static final String IN_FLIGHT = "promhttp_metric_handler_requests_in_flight";
    static final String IN_FLIGHT_HELP = "Current number of scrapes being served.";
    static final int MAX_IN_FLIGHT = 4;

    private final Counter requests;
    private final Gauge inFlight;
    private final AtomicInteger running = new AtomicInteger();

    PromHttpMetrics(AgentRegistry registry) {
        requests = registry.counter(REQUESTS, REQUESTS_HELP, "code");
        requests.initLabelValues("200");
        requests.initLabelValues("500");
        requests.initLabelValues("503");
        inFlight = registry.gauge(IN_FLIGHT, IN_FLIGHT_HELP);
    }

    /** False when too many scrapes already run; the caller answers 503 and calls {@link #finish} with it. */
    boolean begin() {
        if (running.incrementAndGet() > MAX_IN_FLIGHT) {
            running.decrementAndGet();
            return false;
        }
        inFlight.inc();
        return true;
    }

    void finish(boolean begun, int status) {
        if (begun) {
            inFlight.dec();
            running.decrementAndGet();
        }
        requests.labelValues(Integer.toString(status)).inc();
    }
}

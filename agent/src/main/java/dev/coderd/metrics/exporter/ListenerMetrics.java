package dev.coderd.metrics.exporter;

import dev.coderd.metrics.metrics.AgentRegistry;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The listener's own health, {@code coderd_metrics_agent_listener_*}:
 *
 * <pre>
 * coderd_metrics_agent_listener_connections{state="active"} 1.0
 * coderd_metrics_agent_listener_connections{state="idle"} 2.0
 * coderd_metrics_agent_listener_refused_total{reason="head_timeout"} 200.0
 * coderd_metrics_agent_listener_closed_total{reason="evicted"} 1000.0
 * coderd_metrics_agent_listener_web_config_reloads_total{result="failure"} 1.0
 * </pre>
 *
 * Every refusal reason answers with one status (see {@link #REASONS}) and closes the connection; the label
 * values are these constants, nothing a client sends.
 */
final class ListenerMetrics {
    static final String CONNECTIONS = "coderd_metrics_agent_listener_connections";
    static final String CONNECTIONS_HELP = "Connections open to the metrics listener: idle (no request in progress) or active.";
    static final String REFUSED = "coderd_metrics_agent_listener_refused_total";
    static final String REFUSED_HELP = "Requests and connections the metrics listener refused, by reason.";
    static final String CLOSED = "coderd_metrics_agent_listener_closed_total";
    static final String CLOSED_HELP = "Connections the metrics listener closed on its own between requests, by reason.";
    static final String RELOADS = "coderd_metrics_agent_listener_web_config_reloads_total";
    static final String RELOADS_HELP = "Reads of the listener's web-config file after it changed, by result.";

    // refusal reasons, each with its status
    static final String BAD_REQUEST = "bad_request";             // 400: malformed request line or header, not HTTP at all
    static final String UNAUTHORIZED = "unauthorized";           // 401: basic auth missing or wrong
    static final String HEAD_TIMEOUT = "head_timeout";           // 408: the head (or TLS handshake) took too long
    static final String LENGTH_REQUIRED = "length_required";     // 411: chunked body
    static final String BODY_TOO_LARGE = "body_too_large";       // 413
    static final String URI_TOO_LONG = "uri_too_long";           // 414
    static final String RATE_LIMITED = "rate_limited";           // 429: web-config rate_limit
    static final String HEADERS_TOO_LARGE = "headers_too_large"; // 431
    static final String WEB_CONFIG_INVALID = "web_config_invalid"; // 500: the web-config file turned invalid
    static final String CONNECTION_LIMIT = "connection_limit";   // 503: max-connections reached, none idle
    static final String BUSY = "busy";                           // 503: the scrape or authentication queue is full
    static final String TLS_HANDSHAKE = "tls_handshake";         // no status: the TLS handshake failed
    static final List<String> REASONS = List.of(BAD_REQUEST, UNAUTHORIZED, HEAD_TIMEOUT, LENGTH_REQUIRED, BODY_TOO_LARGE,
            URI_TOO_LONG, RATE_LIMITED, HEADERS_TOO_LARGE, WEB_CONFIG_INVALID, CONNECTION_LIMIT, BUSY, TLS_HANDSHAKE);

    // reasons to close a connection that had no request in progress
    static final String IDLE_TIMEOUT = "idle_timeout";
    static final String EVICTED = "evicted";                     // the oldest idle, closed to make room
    static final String WRITE_TIMEOUT = "write_timeout";         // the client did not read its response
    static final List<String> CLOSE_REASONS = List.of(IDLE_TIMEOUT, EVICTED, WRITE_TIMEOUT);

    final GaugeDataPoint idle;
    final GaugeDataPoint active;
    final Counter reloads;
    private final Map<String, CounterDataPoint> refused = new HashMap<>();
    private final Map<String, CounterDataPoint> closed = new HashMap<>();

    ListenerMetrics(AgentRegistry registry) {
        Gauge connections = registry.gauge(CONNECTIONS, CONNECTIONS_HELP, "state");
        idle = connections.labelValues("idle");
        active = connections.labelValues("active");
        Counter refusedTotal = registry.counter(REFUSED, REFUSED_HELP, "reason");
        for (String reason : REASONS) {
            refused.put(reason, refusedTotal.labelValues(reason));
        }
        Counter closedTotal = registry.counter(CLOSED, CLOSED_HELP, "reason");
        for (String reason : CLOSE_REASONS) {
            closed.put(reason, closedTotal.labelValues(reason));
        }
        reloads = registry.counter(RELOADS, RELOADS_HELP, "result");
        reloads.initLabelValues("success");
        reloads.initLabelValues("failure");
    }

    void refused(String reason) {
        refused.get(reason).inc();
    }

    void closed(String reason) {
        closed.get(reason).inc();
    }
}

package dev.coderd.metrics.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;

/**
 * The agent's own health, {@code coderd_metrics_agent_*}:
 *
 * <pre>
 * coderd_metrics_agent_info{version="0.1.0"} 1.0
 * coderd_metrics_agent_instrumented_types_total{instrumentation="servlet"} 12.0
 * coderd_metrics_agent_advice_errors_total{instrumentation="servlet"} 0.0
 * coderd_metrics_agent_dropped_series_total{metric="coderd_api_requests_processed_total"} 3.0
 * coderd_metrics_agent_listener_bind_failures_total 4.0
 * </pre>
 */
public final class HealthMetrics {
    public static final String INFO = "coderd_metrics_agent_info";
    public static final String INFO_HELP = "Version of the coderd metrics agent; always 1.";
    public static final String INSTRUMENTED_TYPES = "coderd_metrics_agent_instrumented_types_total";
    public static final String INSTRUMENTED_TYPES_HELP = "Classes transformed, by instrumentation.";
    public static final String ADVICE_ERRORS = "coderd_metrics_agent_advice_errors_total";
    public static final String ADVICE_ERRORS_HELP = "Exceptions thrown and suppressed inside the agent's advice, by instrumentation.";
    public static final String DROPPED_SERIES = "coderd_metrics_agent_dropped_series_total";
    public static final String DROPPED_SERIES_HELP = "Observations recorded in a family's OTHER series because it reached its series limit.";
    public static final String BIND_FAILURES = "coderd_metrics_agent_listener_bind_failures_total";
    public static final String BIND_FAILURES_HELP = "Attempts to bind the metrics listener that failed before it was bound (port in use).";

    public final Counter instrumentedTypes;
    public final Counter adviceErrors;
    public final Counter bindFailures;

    public HealthMetrics(AgentRegistry registry, String version, Iterable<String> instrumentations) {
        registry.gauge(INFO, INFO_HELP, "version").labelValues(version).set(1);
        instrumentedTypes = registry.counter(INSTRUMENTED_TYPES, INSTRUMENTED_TYPES_HELP, "instrumentation");
        adviceErrors = registry.counter(ADVICE_ERRORS, ADVICE_ERRORS_HELP, "instrumentation");
        for (String name : instrumentations) {
            instrumentedTypes.initLabelValues(name);
            adviceErrors.initLabelValues(name);
        }
        bindFailures = registry.counter(BIND_FAILURES, BIND_FAILURES_HELP);
    }
}

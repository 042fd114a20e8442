package dev.coderd.it.support;

import java.util.List;
import java.util.Map;

/**
 * Every family of {@code shared/design/metrics-contract.md}, whether or not this build exports it yet: the
 * dashboard and the alerting rules cover all of them, and the real-Prometheus test checks what is exported.
 */
public final class Contract {
    private Contract() {}

    public static final List<String> API = List.of(
            "coderd_api_requests_processed_total", "coderd_api_request_latencies_ms", "coderd_api_concurrent_requests",
            "coderd_api_concurrent_websockets", "coderd_api_websocket_durations_ms");
    public static final List<String> DB = List.of(
            "coderd_db_sql_queries_executed_total", "coderd_db_sql_query_latencies_ms",
            "go_sql_max_open_connections", "go_sql_open_connections", "go_sql_in_use_connections", "go_sql_idle_connections",
            "go_sql_wait_count_total", "go_sql_wait_duration_seconds_total", "go_sql_max_idle_closed_total",
            "go_sql_max_idle_time_closed_total", "go_sql_max_lifetime_closed_total");
    public static final List<String> JOBS = List.of(
            "coderd_backgroundjob_enqueued_total", "coderd_backgroundjob_started_total", "coderd_backgroundjob_completed_total",
            "coderd_backgroundjob_current_enqueued_jobs", "coderd_backgroundjob_enqueue_time_seconds",
            "coderd_backgroundjob_execution_time_seconds", "coderd_background_workspace_build_duration_s");
    public static final List<String> RTC = List.of(
            "coderd_rtc_agent_listeners_concurrent", "coderd_rtc_client_connections_total", "coderd_rtc_turn_connections_concurrent",
            "coderd_rtc_turn_connections_total", "coderd_rtc_workspace_connections_current", "coderd_rtc_workspace_connections_total");
    public static final List<String> WORKSPACE = List.of(
            "coderd_workspace_", // coderd_workspace_<name>: whatever the workspace agents push
            "coderd_agent_aggregator_agent_push_backlog", "coderd_agent_aggregator_collect_backlog",
            "coderd_agent_aggregator_collect_nanoseconds", "coderd_agent_aggregator_count_total",
            "coderd_agent_aggregator_delete_backlog", "coderd_agent_aggregator_workspace_count_total");
    public static final List<String> LICENSE = List.of(
            "coderd_license_expires_at_unix", "coderd_license_issued_at_unix", "coderd_license_time_until_expires_days",
            "coderd_license_user_count", "coderd_license_user_limit");
    public static final List<String> AGENT = List.of(
            "promhttp_metric_handler_requests_total", "promhttp_metric_handler_requests_in_flight",
            "coderd_metrics_agent_info", "coderd_metrics_agent_instrumented_types_total", "coderd_metrics_agent_advice_errors_total",
            "coderd_metrics_agent_dropped_series_total", "coderd_metrics_agent_listener_bind_failures_total");

    /** Every family, the runtime ones ({@code jvm_*}, {@code process_*}) aside. */
    public static List<String> all() {
        return java.util.stream.Stream.of(API, DB, JOBS, RTC, WORKSPACE, LICENSE, AGENT).flatMap(List::stream).toList();
    }

    /**
     * What {@code promtool check metrics} (Prometheus 2.42's linter) says about the contract's names, each
     * explained: the names are Coder's, kept so that Coder's dashboards and alert rules work unchanged.
     */
    public static final Map<String, String> PROMTOOL_EXPLAINED = Map.of(
            "coderd_api_request_latencies_ms metric names should not contain abbreviated units", "Coder's name (milliseconds)",
            "coderd_api_websocket_durations_ms metric names should not contain abbreviated units", "Coder's name (milliseconds)",
            "coderd_db_sql_query_latencies_ms metric names should not contain abbreviated units", "Coder's name (milliseconds)",
            "coderd_background_workspace_build_duration_s metric names should not contain abbreviated units", "Coder's name (seconds)",
            "coderd_agent_aggregator_collect_nanoseconds use base unit \"seconds\" instead of \"nanoseconds\"", "Coder's name",
            "coderd_agent_aggregator_count_total non-counter metrics should not have \"_total\" suffix", "Coder's name (a gauge)",
            "coderd_agent_aggregator_workspace_count_total non-counter metrics should not have \"_total\" suffix", "Coder's name (a gauge)",
            "coderd_license_time_until_expires_days use base unit \"seconds\" instead of \"days\"", "Coder's name",
            "coderd_license_user_count non-histogram and non-summary metrics should not have \"_count\" suffix", "Coder's name (a gauge)");
}

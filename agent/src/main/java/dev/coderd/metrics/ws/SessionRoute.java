package dev.coderd.metrics.ws;

import dev.coderd.metrics.config.RouteTemplates.PathVariable;
import dev.coderd.metrics.metrics.ApiMetrics;
import dev.coderd.metrics.metrics.InFlightGauge;
import dev.coderd.metrics.metrics.RtcMetrics;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/**
 * The data points of one websocket route, resolved once: its {@code coderd_api_concurrent_websockets} and
 * {@code coderd_api_websocket_durations_ms} series and its wsnet role. Opening and closing a session then
 * costs a few adder updates and one histogram observation, no lookup.
 */
final class SessionRoute {
    final String path;
    final RtcRole role;
    /** The {@code {workspace}} of the {@code websocket.rtc-roles} template that gave the role, or null. */
    final PathVariable workspace;
    private final InFlightGauge concurrent;
    private final ApiMetrics api;
    private final RtcMetrics rtc;
    /** Resolved when the first session ends, so that no empty histogram shows before one did. */
    private volatile DistributionDataPoint durations;

    SessionRoute(String path, RtcRole role, PathVariable workspace, ApiMetrics api, RtcMetrics rtc) {
        this.path = path;
        this.role = role;
        this.workspace = workspace;
        this.concurrent = api.concurrentWebsockets.get(path); // hidden until a session opens
        this.api = api;
        this.rtc = rtc;
    }

    void opened() {
        concurrent.inc();
        switch (role) {
            case AGENT_LISTENER:
                rtc.agentListeners.inc();
                break;
            case CLIENT_CONNECT:
                rtc.workspaceTotal.inc();
                rtc.workspaceCurrent.inc();
                break;
            case TURN:
                rtc.turnTotal.inc();
                rtc.turnConcurrent.inc();
                break;
            default:
                break;
        }
    }

    void closed(double millis) {
        concurrent.dec();
        DistributionDataPoint point = durations;
        if (point == null) {
            durations = point = api.websocketDurations.get(path);
        }
        point.observe(millis);
        switch (role) {
            case AGENT_LISTENER:
                rtc.agentListeners.dec();
                break;
            case CLIENT_CONNECT:
                rtc.workspaceCurrent.dec();
                break;
            case TURN:
                rtc.turnConcurrent.dec();
                break;
            default:
                break;
        }
    }
}

package dev.coderd.metrics.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;

/**
 * The {@code coderd_rtc_*} families of the metrics contract (workspace-agent connections over wsnet
 * websockets): names, HELP texts, registered once, unlabelled and present at {@code 0} from the start.
 *
 * <pre>
 * # HELP coderd_rtc_agent_listeners_concurrent The total number of concurrent RTC agent listener websockets.
 * # TYPE coderd_rtc_agent_listeners_concurrent gauge
 * coderd_rtc_agent_listeners_concurrent 3.0
 * # HELP coderd_rtc_client_connections_total The total number of RTC client connections.
 * # TYPE coderd_rtc_client_connections_total counter
 * coderd_rtc_client_connections_total 12.0
 * </pre>
 *
 * Recorded by {@link dev.coderd.metrics.ws.WebsocketRecorder}: sessions by the route's role
 * ({@code websocket.rtc-roles}), client connection attempts from the HTTP recorder's upgrade requests.
 */
public final class RtcMetrics {
    public static final String AGENT_LISTENERS = "coderd_rtc_agent_listeners_concurrent";
    public static final String AGENT_LISTENERS_HELP = "The total number of concurrent RTC agent listener websockets.";
    public static final String CLIENT_CONNECTIONS = "coderd_rtc_client_connections_total";
    public static final String CLIENT_CONNECTIONS_HELP = "The total number of RTC client connections.";
    public static final String TURN_CONCURRENT = "coderd_rtc_turn_connections_concurrent";
    public static final String TURN_CONCURRENT_HELP = "The number of concurrent TURN connections.";
    public static final String TURN_TOTAL = "coderd_rtc_turn_connections_total";
    public static final String TURN_TOTAL_HELP = "The total number of TURN connections opened.";
    public static final String WORKSPACE_CURRENT = "coderd_rtc_workspace_connections_current";
    public static final String WORKSPACE_CURRENT_HELP = "The number of concurrent wsnet workspace connections.";
    public static final String WORKSPACE_TOTAL = "coderd_rtc_workspace_connections_total";
    public static final String WORKSPACE_TOTAL_HELP = "The total number of wsnet workspace connections opened.";

    public final InFlightGauge agentListeners;
    public final CounterDataPoint clientConnections;
    public final InFlightGauge turnConcurrent;
    public final CounterDataPoint turnTotal;
    public final InFlightGauge workspaceCurrent;
    public final CounterDataPoint workspaceTotal;

    public RtcMetrics(AgentRegistry registry) {
        agentListeners = gauge(registry, AGENT_LISTENERS, AGENT_LISTENERS_HELP);
        clientConnections = registry.counter(CLIENT_CONNECTIONS, CLIENT_CONNECTIONS_HELP);
        turnConcurrent = gauge(registry, TURN_CONCURRENT, TURN_CONCURRENT_HELP);
        turnTotal = registry.counter(TURN_TOTAL, TURN_TOTAL_HELP);
        workspaceCurrent = gauge(registry, WORKSPACE_CURRENT, WORKSPACE_CURRENT_HELP);
        workspaceTotal = registry.counter(WORKSPACE_TOTAL, WORKSPACE_TOTAL_HELP);
    }

    /** An unlabelled in-flight gauge (a {@code DoubleAdder}, like the API's), shown at 0 before anything moved it. */
    private static InFlightGauge gauge(AgentRegistry registry, String name, String help) {
        InFlightGauge gauge = new AdderGauges(registry, name, help).labelValues();
        gauge.set(0); // nothing increments it yet; set marks the series real, so it shows before the first session
        return gauge;
    }
}

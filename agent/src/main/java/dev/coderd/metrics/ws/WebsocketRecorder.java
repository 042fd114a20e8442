package dev.coderd.metrics.ws;

import dev.coderd.metrics.config.RouteTemplates;
import dev.coderd.metrics.config.RouteTemplates.PathVariable;
import dev.coderd.metrics.config.Rule;
import dev.coderd.metrics.context.Clock;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.ApiMetrics;
import dev.coderd.metrics.metrics.RtcMetrics;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns websocket sessions into {@code coderd_api_concurrent_websockets}, {@code coderd_api_websocket_durations_ms}
 * and the {@code coderd_rtc_*} families: the one place where a session's route and lifetime become data
 * points. Fed by the JSR-356 and Jetty websocket instrumentations ({@code instrumentation/websocket/}) and,
 * for upgrade attempts, by the HTTP recorder.
 *
 * <pre>
 * WebsocketSession s = recorder.session("/api/private/envagent/{workspace}/listen"); // resolve, record nothing
 * userProperties.put(KEY, s);                                                       // where the container keeps it
 * recorder.open(s);                                                                 // gauges up, clock starts
 * ...
 * recorder.close(s, session.getRequestURI());                                        // gauges down, lifetime observed, once
 * </pre>
 *
 * <p>A session's {@code path} is its route template (never the concrete URI); its wsnet role comes from
 * {@code websocket.rtc-roles}, matched once per route. Every upgrade request on a {@code client-connect} route
 * counts in {@code coderd_rtc_client_connections_total}, accepted or not ({@link #upgradeAttempted}).
 *
 * <p>State: per route, one cached {@link SessionRoute} (at most the series limit of them); per session, one
 * {@link WebsocketSession} that the caller keeps with the session, never here. Allocation budget: that one
 * scope per session; opening and closing take no lock and allocate nothing else (an agent-listener close with
 * listeners registered also allocates the workspace segment it hands them).
 */
public final class WebsocketRecorder {
    /** The path variable of an agent-listener route that names the workspace. */
    public static final String WORKSPACE = "workspace";

    private final ApiMetrics api;
    private final RtcMetrics rtc;
    private final RouteTemplates roleTemplates;
    private final Map<String, RtcRole> roles;
    private final RouteTemplates clientConnect;
    private final int routeLimit;
    private final Clock clock;
    private final ConcurrentHashMap<String, SessionRoute> routes = new ConcurrentHashMap<>();
    private volatile AgentListenerClosed[] agentListenerClosed = new AgentListenerClosed[0];

    public WebsocketRecorder(ApiMetrics api, RtcMetrics rtc, List<Rule> rtcRoles, int routeLimit, Clock clock) {
        this.api = api;
        this.rtc = rtc;
        this.roles = new HashMap<>();
        List<String> connect = new ArrayList<>();
        for (Rule rule : rtcRoles) {
            RtcRole role = RtcRole.of(rule.value());
            roles.putIfAbsent(rule.pattern(), role);
            if (role == RtcRole.CLIENT_CONNECT) {
                connect.add(rule.pattern());
            }
        }
        this.roleTemplates = RouteTemplates.of(new ArrayList<>(roles.keySet()));
        this.clientConnect = RouteTemplates.of(connect);
        this.routeLimit = routeLimit;
        this.clock = clock;
    }

    /** Registers who hears of closed agent listeners (the aggregator's seam). */
    public synchronized void onAgentListenerClosed(AgentListenerClosed listener) {
        AgentListenerClosed[] grown = Arrays.copyOf(agentListenerClosed, agentListenerClosed.length + 1);
        grown[grown.length - 1] = listener;
        agentListenerClosed = grown;
    }

    /** An upgrade request for {@code rawPath} began (the server may still reject it). No allocation. */
    public void upgradeAttempted(String rawPath) {
        if (clientConnect.match(rawPath) != null) {
            rtc.clientConnections.inc();
        }
    }

    /** A scope for a session on route {@code path}; nothing is recorded until {@link #open}. */
    public WebsocketSession session(String path) {
        return new WebsocketSession(route(path));
    }

    /** The session opened: it counts from now until {@link #close}. A second call does nothing. */
    public void open(WebsocketSession session) {
        if (session.open(clock.nanoTime())) {
            session.route.opened();
        }
    }

    /**
     * The session closed, for whatever reason: its lifetime is observed and it leaves the gauges, once however
     * often this is called. {@code requestUri} (the session's upgrade URI, may be null) names the workspace of
     * an agent listener for {@link AgentListenerClosed}.
     */
    public void close(WebsocketSession session, URI requestUri) {
        long now = clock.nanoTime();
        if (!session.end()) {
            return;
        }
        SessionRoute route = session.route;
        route.closed((now - session.startNanos) / 1e6);
        AgentListenerClosed[] listeners = agentListenerClosed;
        if (route.workspace != null && requestUri != null && listeners.length > 0) {
            String workspace = route.workspace.in(requestUri.getRawPath());
            if (workspace != null) {
                for (AgentListenerClosed listener : listeners) {
                    try {
                        listener.closed(workspace);
                    } catch (RuntimeException e) {
                        // one listener's failure neither stops the others nor reaches the container
                    }
                }
            }
        }
    }

    /** Records one session through a throwaway recorder and registry, so its classes load before the application's first. */
    public static void warmUp() {
        AgentRegistry registry = new AgentRegistry(10);
        WebsocketRecorder scratch = new WebsocketRecorder(new ApiMetrics(registry), new RtcMetrics(registry),
                List.of(new Rule("/warm/{workspace}", RtcRole.AGENT_LISTENER.text)), 10, Clock.SYSTEM);
        scratch.upgradeAttempted("/warm/up");
        WebsocketSession session = scratch.session("/warm/{workspace}");
        scratch.open(session);
        scratch.close(session, URI.create("/warm/up"));
    }

    private SessionRoute route(String path) {
        SessionRoute route = routes.get(path);
        if (route == null) {
            if (routes.size() >= routeLimit) {
                return newRoute(path); // the families' own limits still hold; only the cache is full
            }
            route = routes.computeIfAbsent(path, this::newRoute);
        }
        return route;
    }

    private SessionRoute newRoute(String path) {
        String template = roleTemplates.match(path);
        RtcRole role = template == null ? RtcRole.NONE : roles.get(template);
        PathVariable workspace = role == RtcRole.AGENT_LISTENER ? PathVariable.of(template, WORKSPACE) : null;
        return new SessionRoute(path, role, workspace, api, rtc);
    }
}

package dev.coderd.metrics.instrumentation.websocket;

import static dev.coderd.metrics.bridge.websocket.WebsocketBridge.ROUTE_PROPERTY;
import static dev.coderd.metrics.bridge.websocket.WebsocketBridge.SESSION_PROPERTY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderd.metrics.config.Rule;
import dev.coderd.metrics.context.RequestContext;
import dev.coderd.metrics.http.HttpRecorder;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.ApiMetrics;
import dev.coderd.metrics.metrics.Expositions;
import dev.coderd.metrics.metrics.RtcMetrics;
import dev.coderd.metrics.ws.WebsocketRecorder;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The hook as the advice drives it, with the real recorders: the handshake names the upgrade's route and
 * hands it to the session; the session's scope lives in the session's own map, so it opens once and ends once.
 */
class WebsocketSessionHookTest {
    static final String LISTEN = "/api/private/envagent/{workspace}/listen";
    static final String CONNECT = "/api/private/envagent/{workspace}/connect";

    private final AgentRegistry registry = new AgentRegistry(2000);
    private final RequestContext context = new RequestContext();
    private final ApiMetrics api = new ApiMetrics(registry);
    private final HttpRecorder http = new HttpRecorder(api, List.of(), 2000, context, () -> 0L);
    private final WebsocketRecorder websockets = new WebsocketRecorder(api, new RtcMetrics(registry),
            List.of(new Rule(LISTEN, "agent-listener"), new Rule(CONNECT, "client-connect")), 2000, () -> 0L);
    private final WebsocketSessionHook hook = new WebsocketSessionHook(websockets, http, context);

    {
        http.onWebsocketUpgrade(websockets::upgradeAttempted);
    }

    /** An upgrade request through a servlet dispatch; {@code inside} runs where the container calls modifyHandshake. */
    private void upgrade(String uri, String mapping, String springPattern, Runnable inside) {
        assertThat(http.enterDispatch()).isTrue();
        Object scope = http.startRequest(null, "GET", uri, mapping, "websocket");
        if (springPattern != null) {
            http.routeTemplate(springPattern);
        }
        inside.run();
        http.exitDispatch();
        http.endDispatch(scope, 101, null);
    }

    @Test
    void withoutAFrameworkRouteTheEndpointTemplateNamesTheUpgradeAndTheSession() {
        // Tomcat's WsFilter upgrades under its "/*" mapping (javax and jakarta alike): no route of its own
        Map<String, Object> config = new HashMap<>();
        upgrade("/api/private/envagent/dev/listen", "/*", null, () -> hook.handshake(LISTEN, config));
        assertThat(config).containsEntry(ROUTE_PROPERTY, LISTEN);

        Map<String, Object> session = new ConcurrentHashMap<>(config); // Tomcat copies the handshake's properties
        Object opened = hook.open(session, config, LISTEN);
        assertThat(session).containsEntry(dev.coderd.metrics.bridge.websocket.WebsocketBridge.SESSION_PROPERTY, opened); // the scope lives in the session

        assertThat(Expositions.text(registry.registry(), ApiMetrics.REQUESTS_PROCESSED, ApiMetrics.CONCURRENT_WEBSOCKETS))
                .isEqualTo("""
                        # HELP coderd_api_concurrent_websockets The total number of concurrent API websockets
                        # TYPE coderd_api_concurrent_websockets gauge
                        coderd_api_concurrent_websockets{path="/api/private/envagent/{workspace}/listen"} 1.0
                        # HELP coderd_api_requests_processed_total The total number of processed API requests
                        # TYPE coderd_api_requests_processed_total counter
                        coderd_api_requests_processed_total{code="101",method="GET",path="/api/private/envagent/{workspace}/listen"} 1.0
                        """);
    }

    @Test
    void aFrameworkRouteWinsOverTheConcretePathSpringGivesAsTheEndpointPath() {
        // Spring's WebSocketHandler: Spring MVC named the route; its ServerEndpointRegistration's path is the request's
        Map<String, Object> config = new HashMap<>();
        String concrete = "/api/private/envagent/dev/connect";
        upgrade(concrete, "/", CONNECT, () -> {
            hook.handshake(concrete, config); // ServerEndpointRegistration.modifyHandshake
            hook.handshake(concrete, config); // ... and the super implementations it calls
        });
        Map<String, Object> session = new ConcurrentHashMap<>(config);
        hook.open(session, config, concrete);

        String text = Expositions.text(registry.registry(), ApiMetrics.REQUESTS_PROCESSED, ApiMetrics.CONCURRENT_WEBSOCKETS,
                "coderd_rtc_client", "coderd_rtc_workspace_connections_current");
        assertThat(text).doesNotContain(concrete)
                .contains("coderd_api_requests_processed_total{code=\"101\",method=\"GET\",path=\"" + CONNECT + "\"} 1.0")
                .contains("coderd_api_concurrent_websockets{path=\"" + CONNECT + "\"} 1.0")
                .contains("coderd_rtc_client_connections_total 1.0")
                .contains("coderd_rtc_workspace_connections_current 1.0");
    }

    @Test
    void outsideAMeasuredRequestTheSessionTakesTheEndpointTemplate() {
        Map<String, Object> config = new HashMap<>();
        hook.handshake(LISTEN, config);
        assertThat(config).containsEntry(ROUTE_PROPERTY, LISTEN);
        Map<String, Object> noHandshake = new HashMap<>(); // a container whose handshake was not seen
        hook.open(new HashMap<>(), noHandshake, LISTEN);
        assertThat(gauge(LISTEN)).isEqualTo("1.0");
    }

    @Test
    void nestedOpensOpenOnceAndTheFirstCloseEndsOnce() {
        Map<String, Object> config = Map.of(ROUTE_PROPERTY, LISTEN);
        Map<String, Object> session = new HashMap<>();
        Object scope = hook.open(session, config, LISTEN);
        assertThat(hook.open(session, config, LISTEN)).isNull(); // Endpoint.onOpen inside Jetty's frame handler
        assertThat(session).containsEntry(SESSION_PROPERTY, scope);
        assertThat(gauge(LISTEN)).isEqualTo("1.0");

        hook.close(session, URI.create("/api/private/envagent/dev/listen")); // the endpoint's onClose
        hook.close(session, URI.create("/api/private/envagent/dev/listen")); // the container's own close notification
        assertThat(session).doesNotContainKey(SESSION_PROPERTY);
        assertThat(gauge(LISTEN)).isEqualTo("0.0");
        assertThat(Expositions.text(registry.registry(), ApiMetrics.WEBSOCKET_DURATIONS + "_count"))
                .contains("coderd_api_websocket_durations_ms_count{path=\"" + LISTEN + "\"} 1\n");
    }

    @Test
    void anOnOpenThatThrowsEndsTheSessionItOpenedAndALaterCloseDoesNothing() {
        Map<String, Object> session = new HashMap<>();
        Object scope = hook.open(session, Map.of(), LISTEN);
        hook.openFailed(session, scope);
        hook.close(session, null);
        assertThat(gauge(LISTEN)).isEqualTo("0.0");
        assertThat(Expositions.text(registry.registry(), ApiMetrics.WEBSOCKET_DURATIONS + "_count"))
                .contains("coderd_api_websocket_durations_ms_count{path=\"" + LISTEN + "\"} 1\n");
    }

    @Test
    void aSessionWhoseMapRefusesTheScopeIsNeverCounted() {
        assertThatThrownBy(() -> hook.open(Map.of(), Map.of(), LISTEN)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(gauge(LISTEN)).isEqualTo("absent"); // the advice suppresses the exception; nothing was counted
        hook.close(new HashMap<>(), null);             // a session the agent never opened
        assertThat(gauge(LISTEN)).isEqualTo("absent");
    }

    @Test
    void aThousandSessionsAQuarterEndedByTheirFailedOpenLeaveEveryGaugeAtZeroAndNoScopeBehind() {
        List<Map<String, Object>> sessions = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Map<String, Object> config = new HashMap<>();
            upgrade("/api/private/envagent/w" + i + "/connect", "/*", null, () -> hook.handshake(CONNECT, config));
            Map<String, Object> session = new ConcurrentHashMap<>(config);
            Object scope = hook.open(session, config, CONNECT);
            if (i % 4 == 0) {
                hook.openFailed(session, scope);
            }
            sessions.add(session);
        }
        assertThat(gauge(CONNECT)).isEqualTo("750.0"); // the quarter whose onOpen threw ended already
        for (Map<String, Object> session : sessions) {
            hook.close(session, null);
            hook.close(session, null);
        }
        assertThat(sessions).allSatisfy(s -> assertThat(s).doesNotContainKey(SESSION_PROPERTY));
        assertThat(Expositions.text(registry.registry(), ApiMetrics.CONCURRENT_WEBSOCKETS, "coderd_rtc_",
                ApiMetrics.WEBSOCKET_DURATIONS + "_count", ApiMetrics.REQUESTS_PROCESSED)).isEqualTo("""
                # HELP coderd_api_concurrent_websockets The total number of concurrent API websockets
                # TYPE coderd_api_concurrent_websockets gauge
                coderd_api_concurrent_websockets{path="/api/private/envagent/{workspace}/connect"} 0.0
                # HELP coderd_api_requests_processed_total The total number of processed API requests
                # TYPE coderd_api_requests_processed_total counter
                coderd_api_requests_processed_total{code="101",method="GET",path="/api/private/envagent/{workspace}/connect"} 1000.0
                coderd_api_websocket_durations_ms_count{path="/api/private/envagent/{workspace}/connect"} 1000
                # HELP coderd_rtc_agent_listeners_concurrent The total number of concurrent RTC agent listener websockets.
                # TYPE coderd_rtc_agent_listeners_concurrent gauge
                coderd_rtc_agent_listeners_concurrent 0.0
                # HELP coderd_rtc_client_connections_total The total number of RTC client connections.
                # TYPE coderd_rtc_client_connections_total counter
                coderd_rtc_client_connections_total 1000.0
                # HELP coderd_rtc_turn_connections_total The total number of TURN connections opened.
                # TYPE coderd_rtc_turn_connections_total counter
                coderd_rtc_turn_connections_total 0.0
                # HELP coderd_rtc_turn_connections_concurrent The number of concurrent TURN connections.
                # TYPE coderd_rtc_turn_connections_concurrent gauge
                coderd_rtc_turn_connections_concurrent 0.0
                # HELP coderd_rtc_workspace_connections_total The total number of wsnet workspace connections opened.
                # TYPE coderd_rtc_workspace_connections_total counter
                coderd_rtc_workspace_connections_total 1000.0
                # HELP coderd_rtc_workspace_connections_current The number of concurrent wsnet workspace connections.
                # TYPE coderd_rtc_workspace_connections_current gauge
                coderd_rtc_workspace_connections_current 0.0
                """);
    }

    private String gauge(String path) {
        String series = ApiMetrics.CONCURRENT_WEBSOCKETS + "{path=\"" + path + "\"} ";
        return Expositions.text(registry.registry()).lines().filter(l -> l.startsWith(series))
                .map(l -> l.substring(series.length())).findFirst().orElse("absent");
    }
}

package dev.coderd.metrics.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.config.AgentConfig;
import dev.coderd.metrics.core.AgentKeys;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.ApiMetrics;
import dev.coderd.metrics.metrics.Expositions;
import dev.coderd.metrics.metrics.RtcMetrics;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class WebsocketRecorderTest {
    static final String LISTEN = "/api/private/envagent/{workspace}/listen";
    static final String CONNECT = "/api/private/envagent/{workspace}/connect";
    static final String TURN = "/api/private/turn";
    static final String ECHO = "/api/v2/debug/echo";

    private final AgentRegistry registry = new AgentRegistry(2000);
    private final long[] now = {1_000_000_000L};
    private final WebsocketRecorder recorder = new WebsocketRecorder(new ApiMetrics(registry), new RtcMetrics(registry),
            AgentConfig.load(null, new Properties(), Map.of(), AgentKeys.all()).get(WebsocketKeys.RTC_ROLES), 2000,
            () -> now[0]);

    private WebsocketSession open(String path) {
        WebsocketSession session = recorder.session(path);
        recorder.open(session);
        return session;
    }

    private static URI uri(String path) {
        return URI.create("ws://127.0.0.1:8080" + path);
    }

    @Test
    void theRtcFamiliesAreThereAtZeroBeforeAnySession() {
        assertThat(Expositions.text(registry.registry(), "coderd_rtc_")).isEqualTo("""
                # HELP coderd_rtc_agent_listeners_concurrent The total number of concurrent RTC agent listener websockets.
                # TYPE coderd_rtc_agent_listeners_concurrent gauge
                coderd_rtc_agent_listeners_concurrent 0.0
                # HELP coderd_rtc_client_connections_total The total number of RTC client connections.
                # TYPE coderd_rtc_client_connections_total counter
                coderd_rtc_client_connections_total 0.0
                # HELP coderd_rtc_turn_connections_total The total number of TURN connections opened.
                # TYPE coderd_rtc_turn_connections_total counter
                coderd_rtc_turn_connections_total 0.0
                # HELP coderd_rtc_turn_connections_concurrent The number of concurrent TURN connections.
                # TYPE coderd_rtc_turn_connections_concurrent gauge
                coderd_rtc_turn_connections_concurrent 0.0
                # HELP coderd_rtc_workspace_connections_total The total number of wsnet workspace connections opened.
                # TYPE coderd_rtc_workspace_connections_total counter
                coderd_rtc_workspace_connections_total 0.0
                # HELP coderd_rtc_workspace_connections_current The number of concurrent wsnet workspace connections.
                # TYPE coderd_rtc_workspace_connections_current gauge
                coderd_rtc_workspace_connections_current 0.0
                """);
        assertThat(Expositions.text(registry.registry(), ApiMetrics.CONCURRENT_WEBSOCKETS, ApiMetrics.WEBSOCKET_DURATIONS))
                .isEqualTo("\n");
    }

    @Test
    void openSessionsCountByRouteAndRoleAndLeaveEveryGaugeAtZeroOnceClosed() {
        List<WebsocketSession> open = new ArrayList<>();
        for (String workspace : List.of("dev", "ci", "docs")) {
            open.add(open(LISTEN));
            recorder.upgradeAttempted("/api/private/envagent/" + workspace + "/connect");
        }
        recorder.upgradeAttempted("/api/private/envagent/gone/connect"); // the server rejects this one
        recorder.upgradeAttempted("/api/private/envagent/dev/listen");   // not a client connect
        open.add(open(CONNECT));
        open.add(open(CONNECT));
        open.add(open(CONNECT));
        open.add(open(TURN));
        open.add(open(ECHO));

        assertThat(Expositions.text(registry.registry(), "coderd_rtc_", ApiMetrics.CONCURRENT_WEBSOCKETS)).isEqualTo("""
                # HELP coderd_api_concurrent_websockets The total number of concurrent API websockets
                # TYPE coderd_api_concurrent_websockets gauge
                coderd_api_concurrent_websockets{path="/api/private/envagent/{workspace}/connect"} 3.0
                coderd_api_concurrent_websockets{path="/api/private/envagent/{workspace}/listen"} 3.0
                coderd_api_concurrent_websockets{path="/api/private/turn"} 1.0
                coderd_api_concurrent_websockets{path="/api/v2/debug/echo"} 1.0
                # HELP coderd_rtc_agent_listeners_concurrent The total number of concurrent RTC agent listener websockets.
                # TYPE coderd_rtc_agent_listeners_concurrent gauge
                coderd_rtc_agent_listeners_concurrent 3.0
                # HELP coderd_rtc_client_connections_total The total number of RTC client connections.
                # TYPE coderd_rtc_client_connections_total counter
                coderd_rtc_client_connections_total 4.0
                # HELP coderd_rtc_turn_connections_total The total number of TURN connections opened.
                # TYPE coderd_rtc_turn_connections_total counter
                coderd_rtc_turn_connections_total 1.0
                # HELP coderd_rtc_turn_connections_concurrent The number of concurrent TURN connections.
                # TYPE coderd_rtc_turn_connections_concurrent gauge
                coderd_rtc_turn_connections_concurrent 1.0
                # HELP coderd_rtc_workspace_connections_total The total number of wsnet workspace connections opened.
                # TYPE coderd_rtc_workspace_connections_total counter
                coderd_rtc_workspace_connections_total 3.0
                # HELP coderd_rtc_workspace_connections_current The number of concurrent wsnet workspace connections.
                # TYPE coderd_rtc_workspace_connections_current gauge
                coderd_rtc_workspace_connections_current 3.0
                """);

        for (WebsocketSession session : open) {
            recorder.close(session, null);
        }
        assertThat(Expositions.text(registry.registry(), "coderd_rtc_", ApiMetrics.CONCURRENT_WEBSOCKETS,
                ApiMetrics.WEBSOCKET_DURATIONS + "_count")).isEqualTo("""
                # HELP coderd_api_concurrent_websockets The total number of concurrent API websockets
                # TYPE coderd_api_concurrent_websockets gauge
                coderd_api_concurrent_websockets{path="/api/private/envagent/{workspace}/connect"} 0.0
                coderd_api_concurrent_websockets{path="/api/private/envagent/{workspace}/listen"} 0.0
                coderd_api_concurrent_websockets{path="/api/private/turn"} 0.0
                coderd_api_concurrent_websockets{path="/api/v2/debug/echo"} 0.0
                coderd_api_websocket_durations_ms_count{path="/api/private/envagent/{workspace}/connect"} 3
                coderd_api_websocket_durations_ms_count{path="/api/private/envagent/{workspace}/listen"} 3
                coderd_api_websocket_durations_ms_count{path="/api/private/turn"} 1
                coderd_api_websocket_durations_ms_count{path="/api/v2/debug/echo"} 1
                # HELP coderd_rtc_agent_listeners_concurrent The total number of concurrent RTC agent listener websockets.
                # TYPE coderd_rtc_agent_listeners_concurrent gauge
                coderd_rtc_agent_listeners_concurrent 0.0
                # HELP coderd_rtc_client_connections_total The total number of RTC client connections.
                # TYPE coderd_rtc_client_connections_total counter
                coderd_rtc_client_connections_total 4.0
                # HELP coderd_rtc_turn_connections_total The total number of TURN connections opened.
                # TYPE coderd_rtc_turn_connections_total counter
                coderd_rtc_turn_connections_total 1.0
                # HELP coderd_rtc_turn_connections_concurrent The number of concurrent TURN connections.
                # TYPE coderd_rtc_turn_connections_concurrent gauge
                coderd_rtc_turn_connections_concurrent 0.0
                # HELP coderd_rtc_workspace_connections_total The total number of wsnet workspace connections opened.
                # TYPE coderd_rtc_workspace_connections_total counter
                coderd_rtc_workspace_connections_total 3.0
                # HELP coderd_rtc_workspace_connections_current The number of concurrent wsnet workspace connections.
                # TYPE coderd_rtc_workspace_connections_current gauge
                coderd_rtc_workspace_connections_current 0.0
                """);
    }

    @Test
    void aSessionHeldOneAndAHalfSecondsLandsInLe60000AndNotInLe1000() {
        WebsocketSession session = open(TURN);
        now[0] += 1_500_000_000L;
        recorder.close(session, null);

        assertThat(Expositions.text(registry.registry(), ApiMetrics.WEBSOCKET_DURATIONS)).isEqualTo("""
                # HELP coderd_api_websocket_durations_ms Websocket duration distribution of requests in milliseconds
                # TYPE coderd_api_websocket_durations_ms histogram
                coderd_api_websocket_durations_ms_bucket{path="/api/private/turn",le="1.0"} 0
                coderd_api_websocket_durations_ms_bucket{path="/api/private/turn",le="1000.0"} 0
                coderd_api_websocket_durations_ms_bucket{path="/api/private/turn",le="60000.0"} 1
                coderd_api_websocket_durations_ms_bucket{path="/api/private/turn",le="3600000.0"} 1
                coderd_api_websocket_durations_ms_bucket{path="/api/private/turn",le="5.4E7"} 1
                coderd_api_websocket_durations_ms_bucket{path="/api/private/turn",le="1.08E8"} 1
                coderd_api_websocket_durations_ms_bucket{path="/api/private/turn",le="+Inf"} 1
                coderd_api_websocket_durations_ms_count{path="/api/private/turn"} 1
                coderd_api_websocket_durations_ms_sum{path="/api/private/turn"} 1500.0
                """);
    }

    @Test
    void aSessionEndsOnceHoweverOftenItIsClosedAndOpensOnce() {
        WebsocketSession session = recorder.session(LISTEN);
        recorder.open(session);
        recorder.open(session);
        recorder.close(session, null);
        recorder.close(session, null);
        WebsocketSession neverOpened = recorder.session(LISTEN);
        recorder.close(neverOpened, null);

        assertThat(gauge(ApiMetrics.CONCURRENT_WEBSOCKETS + "{path=\"" + LISTEN + "\"}")).isEqualTo("0.0");
        assertThat(gauge("coderd_rtc_agent_listeners_concurrent")).isEqualTo("0.0");
        assertThat(gauge(ApiMetrics.WEBSOCKET_DURATIONS + "_count{path=\"" + LISTEN + "\"}")).isEqualTo("1");
    }

    @Test
    void aClosedAgentListenerHandsItsWorkspaceToTheAggregator() {
        List<String> closed = new ArrayList<>();
        recorder.onAgentListenerClosed(closed::add);
        recorder.onAgentListenerClosed(workspace -> {
            throw new IllegalStateException("a broken listener stops neither the others nor the close");
        });
        recorder.onAgentListenerClosed(workspace -> closed.add("second " + workspace));

        WebsocketSession dev = open(LISTEN);
        WebsocketSession namedOtherwise = open("/api/private/envagent/{id}/listen"); // the rule's {workspace} still reads it
        WebsocketSession legacy = open("/api/private/envagent/listen");              // no {workspace}: nothing to hand over
        WebsocketSession client = open(CONNECT);                                       // not a listener
        recorder.close(dev, uri("/api/private/envagent/dev/listen"));
        recorder.close(dev, uri("/api/private/envagent/dev/listen"));                 // ended already: once
        recorder.close(namedOtherwise, uri("/api/private/envagent/7b1e3c/listen?token=x"));
        recorder.close(legacy, uri("/api/private/envagent/listen"));
        recorder.close(client, uri("/api/private/envagent/dev/connect"));

        assertThat(closed).containsExactly("dev", "second dev", "7b1e3c", "second 7b1e3c");
        assertThat(gauge("coderd_rtc_agent_listeners_concurrent")).isEqualTo("0.0");
    }

    @Test
    void rolesComeFromTheConfiguredRulesAndAnEmptyListCountsNoRtc() {
        AgentRegistry own = new AgentRegistry(2000);
        WebsocketRecorder custom = new WebsocketRecorder(new ApiMetrics(own), new RtcMetrics(own),
                List.of(new dev.coderd.metrics.config.Rule("/relay/*", "turn"),
                        new dev.coderd.metrics.config.Rule("/ws/{w}/dial", "client-connect")), 2000, () -> 0L);
        custom.upgradeAttempted("/ws/a/dial");
        custom.upgradeAttempted("/api/private/envagent/a/connect"); // a default route, replaced here
        WebsocketSession relay = custom.session("/relay/{region}");
        custom.open(relay);
        assertThat(Expositions.text(own.registry(), "coderd_rtc_client", "coderd_rtc_turn_connections_total"))
                .contains("coderd_rtc_client_connections_total 1.0").contains("coderd_rtc_turn_connections_total 1.0");

        AgentRegistry none = new AgentRegistry(2000);
        WebsocketRecorder off = new WebsocketRecorder(new ApiMetrics(none), new RtcMetrics(none), List.of(), 2000, () -> 0L);
        off.upgradeAttempted("/api/private/envagent/a/connect");
        off.open(off.session(CONNECT));
        assertThat(Expositions.text(none.registry(), "coderd_rtc_workspace_connections_total", "coderd_rtc_client"))
                .contains("coderd_rtc_workspace_connections_total 0.0").contains("coderd_rtc_client_connections_total 0.0");
    }

    private String gauge(String series) {
        return Expositions.text(registry.registry()).lines().filter(l -> l.startsWith(series + " "))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).findFirst().orElse("absent");
    }
}

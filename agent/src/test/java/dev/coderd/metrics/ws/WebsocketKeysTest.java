package dev.coderd.metrics.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.config.AgentConfig;
import dev.coderd.metrics.config.Rule;
import dev.coderd.metrics.core.AgentKeys;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class WebsocketKeysTest {
    private static AgentConfig load(String args) {
        return AgentConfig.load(args, new Properties(), Map.of(), AgentKeys.all());
    }

    @Test
    void theDefaultsAreCodersWsnetRoutes() {
        assertThat(load(null).get(WebsocketKeys.RTC_ROLES)).containsExactly(
                new Rule("/api/private/envagent/listen", "agent-listener"),
                new Rule("/api/private/envagent/{workspace}/listen", "agent-listener"),
                new Rule("/api/private/envagent/{workspace}/connect", "client-connect"),
                new Rule("/api/private/turn", "turn"));
    }

    @Test
    void rulesContinueAcrossCommasInAgentArguments() {
        AgentConfig c = load("websocket.rtc-roles=/ws/{w}/listen=agent-listener,/relay/*=turn,port=9100");
        assertThat(c.get(WebsocketKeys.RTC_ROLES)).containsExactly(new Rule("/ws/{w}/listen", "agent-listener"),
                new Rule("/relay/*", "turn"));
        assertThat(c.port()).isEqualTo(9100);
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void anUnknownRoleOrABadTemplateIsOneClearLineAndTheDefaultsStay() {
        AgentConfig badRole = load("websocket.rtc-roles=/ws/{w}/listen=listener");
        assertThat(badRole.problems()).containsExactly("config: coderd.metrics.websocket.rtc-roles='/ws/{w}/listen=listener'"
                + " (agent argument) is not valid: expected comma-separated route=value rules, each route a template as in"
                + " http.routes and each value one of agent-listener, client-connect, turn ('listener' is not one of"
                + " agent-listener, client-connect, turn); using the default '" + WebsocketKeys.CODER_WSNET_ROUTES + "'");
        assertThat(badRole.get(WebsocketKeys.RTC_ROLES)).hasSize(4);

        AgentConfig badRoute = load("websocket.rtc-roles=ws/{w=turn");
        assertThat(badRoute.problems()).hasSize(1);
        assertThat(badRoute.problems().get(0)).contains("('ws/{w' does not start with '/')");
    }
}

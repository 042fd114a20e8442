package dev.coderd.metrics.bridge.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.bridge.AgentThread;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Before the core installs its hook, and on the agent's own threads, the bridge does nothing. */
class WebsocketBridgeTest {
    private final List<String> calls = new ArrayList<>();
    private final Map<String, Object> properties = new HashMap<>();

    @AfterEach
    void uninstall() {
        WebsocketBridge.install(null);
    }

    private void callEverything() {
        WebsocketBridge.handshake("/x", properties);
        Object scope = WebsocketBridge.open(properties, properties, "/x");
        WebsocketBridge.openFailed(properties, scope == null ? "scope" : scope);
        WebsocketBridge.close(properties, URI.create("/x"));
    }

    @Test
    void nothingHappensBeforeInstallOrOnAnAgentThread() throws InterruptedException {
        callEverything();
        WebsocketBridge.install(new WebsocketHook() {
            @Override public void handshake(String path, Map<String, Object> config) { calls.add("handshake " + path); }
            @Override public Object open(Map<String, Object> s, Map<String, Object> c, String path) { calls.add("open"); return "scope"; }
            @Override public void openFailed(Map<String, Object> s, Object scope) { calls.add("openFailed " + scope); }
            @Override public void close(Map<String, Object> s, URI uri) { calls.add("close " + uri); }
        });
        Thread agent = AgentThread.daemon(this::callEverything, "agent-test");
        agent.start();
        agent.join();
        assertThat(calls).isEmpty();

        callEverything();
        assertThat(calls).containsExactly("handshake /x", "open", "openFailed scope", "close /x");
    }
}

package dev.coderd.metrics.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.bridge.http.HttpBridge;
import dev.coderd.metrics.bridge.http.HttpHook;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's own threads reach no hook: the bridges check the one mark, {@link AgentThread}. */
class AgentThreadTest {
    private final List<String> calls = new ArrayList<>();

    @AfterEach
    void uninstall() {
        HttpBridge.install(null);
    }

    @Test
    void onlyThreadsTheAgentStartsAreMarked() throws InterruptedException {
        AtomicReference<Boolean> inside = new AtomicReference<>();
        Thread agent = AgentThread.daemon(() -> inside.set(AgentThread.current()), "agent-test");
        assertThat(agent.isDaemon()).isTrue();
        agent.start();
        agent.join();
        assertThat(inside.get()).isTrue();
        assertThat(AgentThread.current()).isFalse();
    }

    @Test
    void bridgeCallsFromAnAgentThreadNeverReachTheHook() throws InterruptedException {
        HttpBridge.install(recordingHook());
        Thread agent = AgentThread.daemon(() -> {
            if (HttpBridge.enterDispatch()) {
                calls.add("measured on an agent thread");
            }
            HttpBridge.exitDispatch();
        }, "agent-test");
        agent.start();
        agent.join();
        assertThat(calls).isEmpty();

        assertThat(HttpBridge.enterDispatch()).isTrue();
        HttpBridge.exitDispatch();
        assertThat(calls).containsExactly("enterDispatch", "exitDispatch");
    }

    private HttpHook recordingHook() {
        return new HttpHook() {
            @Override public boolean enterDispatch() { calls.add("enterDispatch"); return true; }
            @Override public void exitDispatch() { calls.add("exitDispatch"); }
            @Override public Object startRequest(Object e, String m, String u, String s, String up) { return null; }
            @Override public void endDispatch(Object s, int st, Throwable t, Object a) { }
            @Override public void routeTemplate(Object t) { }
            @Override public Object jdkServerFilter() { return null; }
        };
    }
}

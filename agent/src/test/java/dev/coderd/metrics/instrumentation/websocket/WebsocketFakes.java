package dev.coderd.metrics.instrumentation.websocket;

import dev.coderd.metrics.bridge.websocket.WebsocketBridge;
import dev.coderd.metrics.config.Rule;
import dev.coderd.metrics.context.RequestContext;
import dev.coderd.metrics.http.HttpRecorder;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.ApiMetrics;
import dev.coderd.metrics.metrics.Expositions;
import dev.coderd.metrics.metrics.RtcMetrics;
import dev.coderd.metrics.ws.WebsocketRecorder;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Containers' websocket objects as the advice sees them (a session, a server or client endpoint configuration:
 * proxies of the API's interfaces answering what advice reads), and the real hook and recorders behind the
 * bridge, for tests that weave the advice into classes shaped like the containers'.
 */
public final class WebsocketFakes implements AutoCloseable {
    public final AgentRegistry registry = new AgentRegistry(2000);
    private final ApiMetrics api = new ApiMetrics(registry);
    private final RequestContext context = new RequestContext();

    public WebsocketFakes(String... agentListenerRoutes) {
        List<Rule> roles = new java.util.ArrayList<>();
        for (String route : agentListenerRoutes) {
            roles.add(new Rule(route, "agent-listener"));
        }
        WebsocketRecorder recorder = new WebsocketRecorder(api, new RtcMetrics(registry), roles, 2000, () -> 0L);
        HttpRecorder http = new HttpRecorder(api, List.of(), 2000, context, () -> 0L);
        WebsocketBridge.install(new WebsocketSessionHook(recorder, http, context));
    }

    @Override
    public void close() {
        WebsocketBridge.install(null);
    }

    /** An object implementing {@code type} whose {@code getUserProperties}, {@code getPath}, {@code getRequestURI} answer. */
    public static <T> T fake(Class<T> type, Map<String, Object> userProperties, String path) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "getUserProperties": return userProperties;
                case "getPath": return path;
                case "getRequestURI": return URI.create("ws://127.0.0.1" + path);
                case "hashCode": return System.identityHashCode(proxy);
                case "equals": return proxy == args[0];
                case "toString": return "fake " + type.getSimpleName();
                default: return null;
            }
        }));
    }

    public static Map<String, Object> properties() {
        return new ConcurrentHashMap<>();
    }

    /** The value of {@code coderd_api_concurrent_websockets{path}}, or "absent". */
    public String concurrent(String path) {
        return sample("coderd_api_concurrent_websockets{path=\"" + path + "\"}");
    }

    /** The value of {@code coderd_api_websocket_durations_ms_count{path}}, or "absent". */
    public String ended(String path) {
        return sample("coderd_api_websocket_durations_ms_count{path=\"" + path + "\"}");
    }

    private String sample(String series) {
        return Expositions.text(registry.registry()).lines().filter(l -> l.startsWith(series + " "))
                .map(l -> l.substring(series.length() + 1)).findFirst().orElse("absent");
    }
}

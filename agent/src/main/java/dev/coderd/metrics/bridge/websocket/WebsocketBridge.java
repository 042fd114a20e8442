package dev.coderd.metrics.bridge.websocket;

import dev.coderd.metrics.bridge.AgentThread;
import java.net.URI;
import java.util.Map;

/**
 * What the websocket advice calls, inlined into JSR-356 endpoints and configurators ({@code jakarta.websocket},
 * {@code javax.websocket}) and Jetty's frame handler. Until the core installs its {@link WebsocketHook} every
 * method is a no-op, so advice woven before start-up finished is harmless; on the agent's own threads
 * ({@link AgentThread}) nothing is measured. Nothing here throws by design.
 *
 * <p>Two paths, each read straight: the handshake names the route ({@link #handshake}, inside the upgrade
 * request's servlet dispatch), and a session lives from {@link #open} to {@link #close}. A session's scope is
 * kept in its own user properties under {@link #SESSION_PROPERTY}: the container's session state, not the
 * agent's, so whichever of several advised methods comes first opens (or closes) it, exactly once.
 */
public final class WebsocketBridge {
    /** The key of the route chosen at the handshake, in the endpoint configuration's user properties. */
    public static final String ROUTE_PROPERTY = "dev.coderd.metrics.websocket.route";

    /** The key of a measured session's scope, in the session's user properties. */
    public static final String SESSION_PROPERTY = "dev.coderd.metrics.websocket.session";

    private static volatile WebsocketHook hook;

    private WebsocketBridge() {}

    public static void install(WebsocketHook installed) {
        hook = installed;
    }

    /** {@code Configurator.modifyHandshake}: {@code endpointPath} is {@code ServerEndpointConfig.getPath()}. */
    public static void handshake(String endpointPath, Map<String, Object> configProperties) {
        WebsocketHook h = hook;
        if (h != null && !AgentThread.current()) {
            h.handshake(endpointPath, configProperties);
        }
    }

    /** A server session's {@code onOpen} began; the scope when this call opened it, else null. */
    public static Object open(Map<String, Object> sessionProperties, Map<String, Object> configProperties,
                              String endpointPath) {
        WebsocketHook h = hook;
        return h == null || AgentThread.current() ? null : h.open(sessionProperties, configProperties, endpointPath);
    }

    /** The {@code onOpen} that returned {@code scope} from {@link #open} threw. */
    public static void openFailed(Map<String, Object> sessionProperties, Object scope) {
        WebsocketHook h = hook;
        if (h != null && scope != null && !AgentThread.current()) {
            h.openFailed(sessionProperties, scope);
        }
    }

    /** A session's {@code onClose} (or the container's own close notification) began. */
    public static void close(Map<String, Object> sessionProperties, URI requestUri) {
        WebsocketHook h = hook;
        if (h != null && !AgentThread.current()) {
            h.close(sessionProperties, requestUri);
        }
    }
}

package dev.coderd.metrics.bridge.websocket;

import java.net.URI;
import java.util.Map;

/**
 * What the agent core implements for {@link WebsocketBridge}. Plain JDK types only: this interface lives on
 * the bootstrap class path and is seen by every class loader. The maps are the container's own user
 * properties (of the endpoint configuration of one handshake, of one session).
 */
public interface WebsocketHook {
    /** A handshake for an endpoint whose template is {@code endpointPath} is being accepted on this thread. */
    void handshake(String endpointPath, Map<String, Object> configProperties);

    /** A server session opened; returns its scope when this call opened it, else null. */
    Object open(Map<String, Object> sessionProperties, Map<String, Object> configProperties, String endpointPath);

    /** The {@code onOpen} that opened {@code scope} threw: the session ends now unless it already did. */
    void openFailed(Map<String, Object> sessionProperties, Object scope);

    /** A session closed (any session: one the agent never opened is ignored). */
    void close(Map<String, Object> sessionProperties, URI requestUri);
}

package dev.coderd.metrics.instrumentation.websocket.jetty;

import dev.coderd.metrics.bridge.websocket.WebsocketBridge;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Map;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of Jetty's {@code JakartaWebSocketFrameHandler.onOpen(CoreSession, Callback)}, before it
 * calls the endpoint's {@code @OnOpen} through a method handle. The handler's {@code endpointConfig} then is the
 * handshake's own copy, whose user-properties map becomes the session's: the scope stored there is the one
 * an {@code Endpoint.onOpen} advice of the same session would find.
 */
public final class JettyOpenAdvice {
    private JettyOpenAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue("endpointConfig") EndpointConfig config) {
        if (config instanceof ServerEndpointConfig) {
            Map<String, Object> properties = config.getUserProperties();
            WebsocketBridge.open(properties, properties, ((ServerEndpointConfig) config).getPath());
        }
    }
}

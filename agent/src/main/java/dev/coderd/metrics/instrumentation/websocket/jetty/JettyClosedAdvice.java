package dev.coderd.metrics.instrumentation.websocket.jetty;

import dev.coderd.metrics.bridge.websocket.WebsocketBridge;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of Jetty's {@code JakartaWebSocketFrameHandler.onClosed(CloseStatus, Callback)}: Jetty's
 * core calls it once for every session that closes, for any reason (a failed open included), whether or not
 * the endpoint has an {@code @OnClose}. The session may be null when its open failed early; the scope is in
 * the configuration's user properties either way.
 */
public final class JettyClosedAdvice {
    private JettyClosedAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue("endpointConfig") EndpointConfig config,
                             @Advice.FieldValue("session") Session session) {
        WebsocketBridge.close(config.getUserProperties(), session == null ? null : session.getRequestURI());
    }
}

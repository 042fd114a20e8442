package dev.coderd.metrics.instrumentation.websocket.jsr356;

import dev.coderd.metrics.bridge.websocket.WebsocketBridge;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code onOpen(Session, EndpointConfig)} of {@code jakarta.websocket.Endpoint} subclasses (the
 * twin of the other namespace's advice): a server session opens ({@link WebsocketBridge#open}); a client
 * session (its configuration is no {@code ServerEndpointConfig}) is no API websocket. If this {@code onOpen}
 * opened the session and throws, the session ends here: the container will not call {@code onClose}.
 */
public final class JakartaOpenAdvice {
    private JakartaOpenAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) Session session, @Advice.Argument(1) EndpointConfig config) {
        if (!(config instanceof ServerEndpointConfig)) {
            return null;
        }
        return WebsocketBridge.open(session.getUserProperties(), config.getUserProperties(),
                ((ServerEndpointConfig) config).getPath());
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object scope, @Advice.Argument(0) Session session,
                            @Advice.Thrown Throwable thrown) {
        if (scope != null && thrown != null) {
            WebsocketBridge.openFailed(session.getUserProperties(), scope);
        }
    }
}

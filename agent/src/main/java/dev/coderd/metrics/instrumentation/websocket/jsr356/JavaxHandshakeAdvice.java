package dev.coderd.metrics.instrumentation.websocket.jsr356;

import dev.coderd.metrics.bridge.websocket.WebsocketBridge;
import javax.websocket.server.ServerEndpointConfig;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code javax.websocket.server.ServerEndpointConfig.Configurator.modifyHandshake} and every
 * override (the twin of the other namespace's advice): every container calls it for every handshake it
 * accepts, on the upgrade request's thread. Hands the endpoint's template and the handshake's own user
 * properties to {@link WebsocketBridge#handshake}, which names the request's route and keeps it there for
 * the session.
 */
public final class JavaxHandshakeAdvice {
    private JavaxHandshakeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) ServerEndpointConfig config) {
        WebsocketBridge.handshake(config.getPath(), config.getUserProperties());
    }
}

package dev.coderd.metrics.instrumentation.websocket.jsr356;

import dev.coderd.metrics.bridge.websocket.WebsocketBridge;
import javax.websocket.Session;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code onClose(Session, CloseReason)} of {@code javax.websocket.Endpoint} and its subclasses
 * (the twin of the other namespace's advice): containers call it once a session is closed for any reason
 * (close frame, error, idle timeout, the peer gone, shutdown); the session ends once, however many overrides
 * run ({@link WebsocketBridge#close}).
 */
public final class JavaxCloseAdvice {
    private JavaxCloseAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) Session session) {
        WebsocketBridge.close(session.getUserProperties(), session.getRequestURI());
    }
}

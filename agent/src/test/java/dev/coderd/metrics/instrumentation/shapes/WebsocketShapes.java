package dev.coderd.metrics.instrumentation.shapes;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/** Class shapes the websocket instrumentation must transform, compiled as an application would compile them. */
public final class WebsocketShapes {
    private WebsocketShapes() {}

    /** A programmatic endpoint that declares only onOpen (the base class's onClose is inherited). */
    public static final class OnlyOpen extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
        }
    }

    /** A subclass that adds only an onClose. */
    public static class OnlyClose extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
        }
    }

    public static final class CloseOverride extends OnlyClose {
        @Override
        public void onClose(Session session, CloseReason reason) {
        }
    }

    /** An application's configurator that only checks the handshake. */
    public static final class Configurator extends ServerEndpointConfig.Configurator {
        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        }
    }
}

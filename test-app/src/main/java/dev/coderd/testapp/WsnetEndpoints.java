package dev.coderd.testapp;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.ServletWebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;

/**
 * Coder's wsnet websockets, three ways a service writes them: workspace agents keep an annotated listener
 * endpoint open per workspace, clients connect to a workspace through a Spring {@code WebSocketHandler}, and a
 * programmatic {@code Endpoint} relays TURN traffic. Each greets on open with one text message and echoes
 * text; a listener opened with {@code ?idle-ms=N} is closed by the server after N ms without traffic.
 */
public final class WsnetEndpoints {
    static final String LISTEN = "/api/private/envagent/{workspace}/listen";
    static final String CONNECT = "/api/private/envagent/{workspace}/connect";
    static final String TURN = "/api/private/turn";

    private WsnetEndpoints() {}

    /** A workspace agent's listener (annotated, JSR-356). */
    @ServerEndpoint(LISTEN)
    public static class AgentListener {
        @OnOpen
        public void open(Session session, @PathParam("workspace") String workspace) throws IOException {
            List<String> idle = session.getRequestParameterMap().get("idle-ms");
            if (idle != null) {
                session.setMaxIdleTimeout(Long.parseLong(idle.get(0)));
            }
            session.getBasicRemote().sendText("listening " + workspace);
        }

        @OnMessage
        public String echo(String message) {
            return message;
        }
    }

    /** A client's connection to a workspace (Spring's WebSocketHandler; same-origin only, Spring's default). */
    static final class ClientConnect extends TextWebSocketHandler {
        @Override
        public void afterConnectionEstablished(WebSocketSession session) throws IOException {
            String[] segments = session.getUri().getPath().split("/");
            session.sendMessage(new TextMessage("connected " + segments[segments.length - 2]));
        }

        @Override
        protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
            session.sendMessage(message);
        }

        @Override
        public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
            // the client left; nothing to tidy
        }
    }

    /** The TURN relay (a programmatic endpoint; it inherits Endpoint's onClose). */
    public static class TurnRelay extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) message ->
                    session.getAsyncRemote().sendText(message));
            session.getAsyncRemote().sendText("relay");
        }
    }

    @Configuration
    static class Registration {
        /** The listener and the relay on the servlet container's JSR-356 server (a second exporter beside the echo's). */
        @Bean
        ServerEndpointExporter wsnetServerEndpoints() {
            ServerEndpointExporter exporter = new ServerEndpointExporter() {
                @Override
                protected void registerEndpoints() {
                    super.registerEndpoints();
                    try {
                        getServerContainer().addEndpoint(ServerEndpointConfig.Builder.create(TurnRelay.class, TURN).build());
                    } catch (DeploymentException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            exporter.setAnnotatedEndpointClasses(AgentListener.class);
            return exporter;
        }

        /** The client connect route through Spring MVC, as {@code @EnableWebSocket} would map it. */
        @Bean
        HandlerMapping wsnetConnectMapping() {
            ServletWebSocketHandlerRegistry registry = new ServletWebSocketHandlerRegistry();
            registry.addHandler(new ClientConnect(), CONNECT);
            return registry.getHandlerMapping();
        }
    }
}

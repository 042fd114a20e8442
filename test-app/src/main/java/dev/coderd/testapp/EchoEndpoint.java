package dev.coderd.testapp;

import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;

/** A JSR-356 websocket endpoint that echoes text: the upgrade side of the websocket metrics. */
@ServerEndpoint("/api/v2/debug/echo")
public class EchoEndpoint {
    @OnMessage
    public void echo(String message, Session session) throws IOException {
        session.getBasicRemote().sendText(message);
    }

    @Configuration
    static class Registration {
        @Bean
        ServerEndpointExporter serverEndpointExporter() {
            ServerEndpointExporter exporter = new ServerEndpointExporter();
            exporter.setAnnotatedEndpointClasses(EchoEndpoint.class);
            return exporter;
        }
    }
}

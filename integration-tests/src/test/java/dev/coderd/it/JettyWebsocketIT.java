package dev.coderd.it;

import dev.coderd.it.fixtures.JettyWebsocketFixture;
import dev.coderd.it.support.ForkedJvm;

/** Jetty 12 ee10 (jakarta.websocket): annotated endpoints called through method handles, a programmatic one. */
class JettyWebsocketIT extends WebsocketContract {
    @Override
    ForkedJvm launch(ForkedJvm.Builder builder, int appPort) {
        return startFixture(builder, JettyWebsocketFixture.class, appPort);
    }

    @Override
    String containerSessionClass() {
        return "org.eclipse.jetty.ee10.websocket.jakarta.common.JakartaWebSocketSession";
    }
}

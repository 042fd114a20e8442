package dev.coderd.it;

import dev.coderd.it.support.Artifacts;
import dev.coderd.it.support.ForkedJvm;

/**
 * The test-app (Spring Boot 3, Tomcat 10, jakarta): an annotated listener, a Spring {@code WebSocketHandler} for
 * client connects (its route from Spring MVC's URL mapping), a programmatic TURN endpoint; no configured routes.
 */
class SpringTestAppWebsocketIT extends WebsocketContract {
    @Override
    ForkedJvm launch(ForkedJvm.Builder builder, int appPort) {
        return builder.jar(Artifacts.testAppJar(), "--server.port=" + appPort).start("test-app ready on port (\\d+)");
    }

    @Override
    String containerSessionClass() {
        return "org.apache.tomcat.websocket.WsSession";
    }
}

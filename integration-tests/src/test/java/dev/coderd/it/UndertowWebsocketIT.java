package dev.coderd.it;

import dev.coderd.it.fixtures.UndertowWebsocketFixture;
import dev.coderd.it.support.ForkedJvm;

/** Undertow 2.3 (jakarta.websocket through {@code undertow-websockets-jsr}), embedded without a framework. */
class UndertowWebsocketIT extends WebsocketContract {
    @Override
    ForkedJvm launch(ForkedJvm.Builder builder, int appPort) {
        return startFixture(builder, UndertowWebsocketFixture.class, appPort);
    }

    @Override
    String containerSessionClass() {
        return "io.undertow.websockets.jsr.UndertowSession";
    }

    @Override
    int refusedHandshakeStatus() {
        return 404;
    }
}

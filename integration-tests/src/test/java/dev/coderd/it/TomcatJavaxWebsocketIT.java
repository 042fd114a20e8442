package dev.coderd.it;

import dev.coderd.it.fixtures.TomcatJavaxWebsocketFixture;
import dev.coderd.it.support.ForkedJvm;

/**
 * Tomcat 9 (javax.websocket), embedded without a framework and without configured routes: the case the issue
 * was found on, where the upgrade's 101 did not appear under the endpoint's template.
 */
class TomcatJavaxWebsocketIT extends WebsocketContract {
    @Override
    ForkedJvm launch(ForkedJvm.Builder builder, int appPort) {
        return startFixture(builder, TomcatJavaxWebsocketFixture.class, appPort);
    }

    @Override
    String containerSessionClass() {
        return "org.apache.tomcat.websocket.WsSession";
    }
}

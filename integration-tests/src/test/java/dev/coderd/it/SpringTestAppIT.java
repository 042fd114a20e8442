package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.support.Artifacts;
import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The test-app: Spring Boot 3, Tomcat 10 (jakarta), Spring MVC route templates, a JSR-356 websocket. */
class SpringTestAppIT extends ServletContract {
    static final String ECHO = "/api/v2/debug/echo";

    /** Tomcat's WsFilter upgrades before Spring MVC sees the request, so the endpoint's route is configured. */
    @Override
    String routes() {
        return ECHO;
    }

    @Test
    void anAcceptedWebsocketUpgradeCountsOnceAs101OutsideLatencyAndConcurrency() throws Exception {
        Exposition before = settled();
        CompletableFuture<String> echoed = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + appPort + ECHO), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        echoed.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendText("ping", true).get(10, TimeUnit.SECONDS);
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("ping");
        Exposition open = settled();
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);

        assertThat(open.delta(before, PROCESSED, "code", "101", "method", "GET", "path", ECHO)).isEqualTo(1.0);
        assertThat(open.value(LATENCY + "_count", "method", "GET", "path", ECHO)).isNull();
        assertThat(open.value(CONCURRENT, "method", "GET", "path", ECHO)).isNull();
    }

    /** Found on Spring PetClinic: a handler mapped to "/" is a route, and routing leaves no phantom series. */
    @Test
    void aSpringRootMappingIsTheRouteAndTheProvisionalRouteLeavesNoSeries() {
        Exposition before = settled();
        assertThat(Http.get("http://127.0.0.1:" + appPort + "/").statusCode()).isEqualTo(200);
        assertThat(Http.post("http://127.0.0.1:" + appPort + "/api/v2/users", "{\"username\":\"carol\"}").statusCode())
                .isEqualTo(201);
        Exposition after = settled();

        assertThat(after.delta(before, PROCESSED, "code", "200", "method", "GET", "path", "/")).isEqualTo(1.0);
        assertThat(after.delta(before, PROCESSED, "code", "201", "method", "POST", "path", "/api/v2/users")).isEqualTo(1.0);
        assertThat(after.value(CONCURRENT, "method", "GET", "path", "/")).isEqualTo(0.0);
        assertThat(after.value(CONCURRENT, "method", "POST", "path", "/api/v2/users")).isEqualTo(0.0);
        // both were first counted under a provisional route (STATIC, UNKNOWN) before Spring named theirs
        assertThat(after.value(CONCURRENT, "method", "POST", "path", "UNKNOWN")).isNull();
        assertThat(after.value(CONCURRENT, "method", "GET", "path", "STATIC"))
                .isEqualTo(before.value(CONCURRENT, "method", "GET", "path", "STATIC"));
    }

    @Override
    ForkedJvm launch(ForkedJvm.Builder builder, int appPort) {
        return builder.jar(Artifacts.testAppJar(), "--server.port=" + appPort).start("test-app ready on port (\\d+)");
    }

    @Override
    Call call(Endpoint endpoint) {
        switch (endpoint) {
            case USER: return new Call("/api/v2/users/{user}", "/api/v2/users/{user}", 200);
            case ERROR_STATUS: return new Call("/api/v2/organizations/acme", "/api/v2/organizations/{organization}", 404);
            case EXCEPTION: return new Call("/api/v2/debug/panic", "/api/v2/debug/panic", 500);
            case SLOW_30MS: return new Call("/api/v2/debug/slow?ms=30", "/api/v2/debug/slow", 200);
            case SLOW_1500MS: return new Call("/api/v2/debug/slow?ms=1500", "/api/v2/debug/slow", 200);
            case ASYNC_200MS: return new Call("/api/v2/debug/async?ms=200", "/api/v2/debug/async", 200);
            case REDIRECT: return new Call("/api/v2/debug/redirect", "/api/v2/debug/redirect", 302);
            case FORWARD: return new Call("/api/v2/debug/forward", "/api/v2/debug/forward", 200);
            default: throw new IllegalArgumentException(endpoint.name());
        }
    }
}

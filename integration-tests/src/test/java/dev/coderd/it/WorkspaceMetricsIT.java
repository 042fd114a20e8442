package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.support.Artifacts;
import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import dev.coderd.it.support.RawWebSocket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /v1/workspace-metrics} on the test-app's agent, JDK 17 and 25: pushes exposed under the contract's
 * names and labels, gone after a 3 s expiry, deleted when the workspace's agent listener closes; every refusal
 * with its status and message.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.coderd.it.support.Jdk#all")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkspaceMetricsIT {
    static final String TOKEN = "s3cret-intake";
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String HELP = "Metrics are forwarded from workspace agents connected to this instance of coderd.";

    @Parameter
    Jdk jdk;
    ForkedJvm app;
    int appPort;
    int metricsPort;

    @BeforeParameterizedClassInvocation
    void start() {
        appPort = Ports.free();
        metricsPort = Ports.free();
        app = ForkedJvm.on(jdk).agent("port=" + metricsPort + ",intake.token=" + TOKEN + ",workspace.expiry=3s")
                .jar(Artifacts.testAppJar(), "--server.port=" + appPort).start("test-app ready on port (\\d+)");
    }

    @AfterParameterizedClassInvocation
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    static String bundle(String workspace, String metrics) {
        return "{\"workspace_id\":\"" + workspace + "\",\"user_id\":\"u-1\",\"agent_name\":\"main\",\"metrics\":[" + metrics + "]}";
    }

    static final String SESSIONS = "{\"name\":\"agent_sessions_total\",\"type\":\"counter\",\"value\":%d,"
            + "\"labels\":[{\"name\":\"magic_type\",\"value\":\"ssh\"}]}";

    static HttpResponse<String> push(int port, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/workspace-metrics"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> push(int port, String body) {
        return push(port, body, "Authorization", "Bearer " + TOKEN);
    }

    @Test
    void aPushAppearsUnderTheContractsNameAndLabelsThenExpires() throws InterruptedException {
        assertThat(push(metricsPort, bundle("ws-expiry", SESSIONS.formatted(3))).statusCode()).isEqualTo(202);
        assertThat(push(metricsPort, bundle("ws-expiry", SESSIONS.formatted(5))).statusCode()).isEqualTo(202);
        String[] labels = {"agent_name", "main", "magic_type", "ssh", "user_id", "u-1", "workspace_id", "ws-expiry"};
        Exposition m = Http.awaitScrape(metricsPort, e -> Double.valueOf(5).equals(e.value("coderd_workspace_agent_sessions_total", labels)));
        assertThat(m.value("coderd_workspace_agent_sessions_total", labels)).isEqualTo(5.0);
        assertThat(m.help("coderd_workspace_agent_sessions_total")).isEqualTo(HELP);
        assertThat(m.type("coderd_workspace_agent_sessions_total")).isEqualTo("counter");
        long pushed = System.nanoTime();
        Exposition gone = Http.awaitScrape(metricsPort, e -> e.value("coderd_workspace_agent_sessions_total", labels) == null);
        assertThat(gone.value("coderd_workspace_agent_sessions_total", labels)).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - pushed)).isBetween(Duration.ofMillis(2000), Duration.ofSeconds(10));
    }

    @Test
    void theWorkspacesListenerClosingDeletesItsSeries() throws InterruptedException {
        try (RawWebSocket listener = RawWebSocket.connect(appPort, "/api/private/envagent/ws-moving/listen")) {
            assertThat(listener.status()).isEqualTo(101);
            assertThat(push(metricsPort, bundle("ws-moving", SESSIONS.formatted(1))).statusCode()).isEqualTo(202);
            assertThat(push(metricsPort, bundle("ws-staying", SESSIONS.formatted(2))).statusCode()).isEqualTo(202);
            Exposition m = Http.awaitScrape(metricsPort, e -> e.value("coderd_workspace_agent_sessions_total", "workspace_id", "ws-moving",
                    "agent_name", "main", "magic_type", "ssh", "user_id", "u-1") != null);
            assertThat(m.value("coderd_workspace_agent_sessions_total", "workspace_id", "ws-moving", "agent_name", "main",
                    "magic_type", "ssh", "user_id", "u-1")).isEqualTo(1.0);
        }
        Exposition after = Http.awaitScrape(metricsPort, e -> e.value("coderd_workspace_agent_sessions_total", "workspace_id", "ws-moving",
                "agent_name", "main", "magic_type", "ssh", "user_id", "u-1") == null);
        assertThat(after.value("coderd_workspace_agent_sessions_total", "workspace_id", "ws-moving", "agent_name", "main",
                "magic_type", "ssh", "user_id", "u-1")).isNull();
        assertThat(after.value("coderd_workspace_agent_sessions_total", "workspace_id", "ws-staying", "agent_name", "main",
                "magic_type", "ssh", "user_id", "u-1")).isEqualTo(2.0);
    }

    @Test
    void everyRefusalHasItsStatusAndMessage() {
        Exposition before = Http.scrape(metricsPort);
        String good = bundle("ws-refused", SESSIONS.formatted(1));
        HttpResponse<String> none = push(metricsPort, good, "X-Nothing", "1");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).isEqualTo("missing bearer token\n");
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        HttpResponse<String> wrong = push(metricsPort, good, "Authorization", "Bearer nope");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).isEqualTo("invalid token\n");
        for (Map.Entry<String, String> bad : Map.of(
                "{", "malformed JSON: Unexpected end-of-input: expected close marker for Object (line 1, column 2)\n",
                bundle("w", "{\"name\":\"a-b\",\"type\":\"gauge\",\"value\":1}"), "metrics[0].name: 'a-b' is not a valid metric name\n",
                bundle("w", "{\"name\":\"a\",\"type\":\"summary\",\"value\":1}"), "metrics[0].type: 'summary' is not counter or gauge\n",
                bundle("w", "{\"name\":\"a\",\"type\":\"gauge\",\"value\":1e400}"), "metrics[0].value: not a finite number\n",
                bundle("w", "{\"name\":\"a\",\"type\":\"gauge\",\"value\":1,\"labels\":[{\"name\":\"user_id\",\"value\":\"x\"}]}"),
                "metrics[0].labels[0].name: 'user_id' is reserved\n",
                bundle("w", "{\"name\":\"a\",\"type\":\"gauge\",\"value\":1},{\"name\":\"a\",\"type\":\"gauge\",\"value\":2}"),
                "metrics[1]: duplicate series a with the same labels in one bundle\n").entrySet()) {
            HttpResponse<String> r = push(metricsPort, bad.getKey());
            assertThat(r.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(r.body()).as(bad.getKey()).isEqualTo(bad.getValue());
        }
        HttpResponse<String> large = push(metricsPort, bundle("w", "{\"name\":\"a\",\"type\":\"gauge\",\"value\":1,\"labels\":[{\"name\":\"x\",\"value\":\""
                + "x".repeat(1 << 20) + "\"}]}"));
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(large.body()).isEqualTo("request body larger than 1048576 bytes\n");
        HttpResponse<String> get = Http.get("http://127.0.0.1:" + metricsPort + "/v1/workspace-metrics");
        assertThat(get.statusCode()).isEqualTo(405);
        Exposition after = Http.scrape(metricsPort);
        String bundles = "coderd_metrics_agent_workspace_bundles_total";
        assertThat(after.delta(before, bundles, "result", "unauthorized")).isEqualTo(1.0);
        assertThat(after.delta(before, bundles, "result", "forbidden")).isEqualTo(1.0);
        assertThat(after.delta(before, bundles, "result", "bad_request")).isEqualTo(6.0);
        assertThat(after.delta(before, "coderd_metrics_agent_listener_refused_total", "reason", "body_too_large")).isEqualTo(1.0);
    }
}

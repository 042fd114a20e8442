package dev.coderd.metrics.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.Expositions;
import dev.coderd.metrics.metrics.RuntimeMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The listener in this JVM on real sockets, with a hand-moved clock for every deadline: nothing here waits
 * for a timeout to pass, and nothing asserts how long something took.
 */
class MetricsListenerTest {
    private final AgentRegistry registry = new AgentRegistry(2000);
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<Socket> sockets = new ArrayList<>();
    private MetricsListener listener;

    private int start(int maxConnections, Path webConfig) {
        listener = new MetricsListener("127.0.0.1", 0, Duration.ofMillis(100), registry, new RuntimeMetrics(registry),
                registry.counter("bind_failures_total", "test"), new ListenerLimits(Duration.ofSeconds(5), Duration.ofSeconds(60),
                maxConnections), webConfig, clock::get);
        listener.start();
        await(() -> listener.boundPort() > 0);
        return listener.boundPort();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (listener != null) {
            listener.stop();
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", listener.boundPort());
        s.setSoTimeout(10_000);
        sockets.add(s);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** One response: status line, headers, Content-Length body. */
    record Response(int status, String head, String body) {}

    private static Response read(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : h.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new Response(Integer.parseInt(h.split(" ")[1]), h, body);
    }

    /** True when the server closed the connection (nothing more to read); then closes our end too. */
    private static boolean closedByServer(Socket s) throws IOException {
        try (s) {
            return s.getInputStream().read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private String listenerMetrics() {
        return Expositions.text(registry.registry(), "coderd_metrics_agent_listener_");
    }

    private double sample(String line) {
        for (String l : listenerMetrics().split("\n")) {
            if (l.startsWith(line + " ")) {
                return Double.parseDouble(l.substring(line.length() + 1));
            }
        }
        throw new AssertionError(line + " not in\n" + listenerMetrics());
    }

    private void awaitConnections(int idle, int active) {
        await(() -> sample("coderd_metrics_agent_listener_connections{state=\"idle\"}") == idle
                && sample("coderd_metrics_agent_listener_connections{state=\"active\"}") == active);
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws IOException {
        start(10, null);
        Socket s = connect();
        send(s, "GET /-/healthy HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\n\r\nHEAD /metrics HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nConnection: close\r\n\r\n");
        assertThat(read(s).body()).isEqualTo("Exporter is Healthy.\n");
        assertThat(read(s).status()).isEqualTo(404);
        Response head = read(s);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.head()).contains("Content-Type: text/plain; version=0.0.4; charset=utf-8");
        Response last = read(s);
        assertThat(last.body()).isEqualTo("coderd-metrics-agent: metrics at /metrics\n");
        assertThat(last.head()).contains("Connection: close");
        assertThat(closedByServer(s)).isTrue();
    }

    @Test
    void aHalfClosedClientGetsItsAnswerThenTheConnectionCloses() throws IOException {
        start(10, null);
        Socket s = connect();
        send(s, "GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n");
        s.shutdownOutput();
        assertThat(read(s).status()).isEqualTo(200);
        assertThat(closedByServer(s)).isTrue();
    }

    @Test
    void aHeadThatDoesNotFinishInTimeGets408AndTheConnectionCloses() throws IOException {
        start(10, null);
        Socket s = connect();
        send(s, "GET /metrics HTTP/1.1\r\nX-Drip: 1\r\n");
        awaitConnections(0, 1);
        assertThat(sample("coderd_metrics_agent_listener_refused_total{reason=\"head_timeout\"}")).isEqualTo(0.0);
        clock.addAndGet(Duration.ofMillis(5001).toNanos());
        Response r = read(s);
        assertThat(r.status()).isEqualTo(408);
        assertThat(r.body()).isEqualTo("the request took longer than 5000 ms to arrive\n");
        assertThat(closedByServer(s)).isTrue();
        awaitConnections(0, 0);
        assertThat(sample("coderd_metrics_agent_listener_refused_total{reason=\"head_timeout\"}")).isEqualTo(1.0);
    }

    @Test
    void aDripThatKeepsSendingStillMeetsTheDeadlineOfTheWholeHead() throws IOException {
        start(10, null);
        Socket s = connect();
        send(s, "GET /metrics HTTP/1.1\r\n");
        awaitConnections(0, 1);
        for (int i = 0; i < 4; i++) { // a header line each "second": each read would reset a per-read timeout
            clock.addAndGet(Duration.ofSeconds(1).toNanos());
            send(s, "X-Drip-" + i + ": 1\r\n");
        }
        clock.addAndGet(Duration.ofMillis(1001).toNanos());
        assertThat(read(s).status()).isEqualTo(408);
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeoutAndCounted() throws IOException {
        start(10, null);
        Socket s = connect();
        send(s, "GET /-/healthy HTTP/1.1\r\n\r\n");
        assertThat(read(s).status()).isEqualTo(200);
        awaitConnections(1, 0);
        clock.addAndGet(Duration.ofSeconds(59).toNanos());
        send(s, "GET /-/healthy HTTP/1.1\r\n\r\n"); // still open: 59 s idle, then a request
        assertThat(read(s).status()).isEqualTo(200);
        awaitConnections(1, 0);
        clock.addAndGet(Duration.ofSeconds(61).toNanos());
        assertThat(closedByServer(s)).isTrue();
        awaitConnections(0, 0);
        assertThat(sample("coderd_metrics_agent_listener_closed_total{reason=\"idle_timeout\"}")).isEqualTo(1.0);
    }

    @Test
    void atTheCapTheOldestIdleConnectionMakesRoomAndWithNoneIdleTheNewcomerGets503() throws IOException {
        start(3, null);
        Socket first = connect();
        awaitConnections(1, 0);
        Socket second = connect();
        Socket third = connect();
        awaitConnections(3, 0);
        Socket fourth = connect(); // the cap: the oldest idle one goes
        assertThat(closedByServer(first)).isTrue();
        awaitConnections(3, 0);
        assertThat(sample("coderd_metrics_agent_listener_closed_total{reason=\"evicted\"}")).isEqualTo(1.0);

        for (Socket s : List.of(second, third, fourth)) {
            send(s, "GET /metrics HTTP/1.1\r\n"); // all three busy with a head
        }
        awaitConnections(0, 3);
        Socket fifth = connect();
        Response refused = read(fifth);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body()).isEqualTo("too many connections to the agent.\n");
        assertThat(sample("coderd_metrics_agent_listener_refused_total{reason=\"connection_limit\"}")).isEqualTo(1.0);

        send(second, "\r\n"); // the heads complete: all three are served
        send(third, "\r\n");
        send(fourth, "\r\n");
        for (Socket s : List.of(second, third, fourth)) {
            assertThat(read(s).status()).isEqualTo(200);
        }
        awaitConnections(3, 0);
    }

    @Test
    void refusalsAreCountedByReasonAndCloseTheConnection() throws IOException {
        start(10, null);
        String[][] cases = {
                {"\u0016\u0003\u0001\u0002\u0000", "400"},
                {"GET / HTTP/1.1\r\nbad header\r\n\r\n", "400"},
                {"GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n", "414"},
                {"GET / HTTP/1.1\r\n" + "X: y\r\n".repeat(101) + "\r\n", "431"},
                {"POST /metrics HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n" + "x".repeat(100_000), "413"},
                {"POST /metrics HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", "411"},
        };
        for (String[] c : cases) {
            Socket s = connect();
            send(s, c[0]);
            Response r = read(s);
            assertThat(r.status()).as(c[0].substring(0, Math.min(30, c[0].length()))).isEqualTo(Integer.parseInt(c[1]));
            assertThat(r.head()).contains("Connection: close");
            assertThat(closedByServer(s)).isTrue();
        }
        awaitConnections(0, 0);
        assertThat(listenerMetrics()).contains(
                "coderd_metrics_agent_listener_refused_total{reason=\"bad_request\"} 2.0\n",
                "coderd_metrics_agent_listener_refused_total{reason=\"uri_too_long\"} 1.0\n",
                "coderd_metrics_agent_listener_refused_total{reason=\"headers_too_large\"} 1.0\n",
                "coderd_metrics_agent_listener_refused_total{reason=\"body_too_large\"} 1.0\n",
                "coderd_metrics_agent_listener_refused_total{reason=\"length_required\"} 1.0\n");
    }

    @Test
    void aBodyIsReadAndANonGetToAPathIsRefusedWith405() throws IOException {
        start(10, null);
        Socket s = connect();
        send(s, "POST /metrics HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /-/healthy HTTP/1.1\r\n\r\n");
        Response r = read(s);
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.head()).contains("Allow: GET, HEAD");
        assertThat(read(s).status()).isEqualTo(200); // the body was consumed exactly
    }

    @Test
    void aClientThatConnectsAndSendsNothingIsIdleNotActive() throws IOException {
        start(10, null);
        connect();
        connect();
        awaitConnections(2, 0);
        try (Socket s = connect()) {
            s.setSoTimeout(200);
            send(s, "GET /-/healthy HTTP/1.1\r\n\r\n");
            assertThat(read(s).status()).isEqualTo(200);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer", e);
        }
    }
}

package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderd.it.fixtures.JdkServerFixture;
import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import dev.coderd.it.support.RawHttp;
import dev.coderd.it.support.Tls;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What strangers can do to the listener, against the real agent in a forked JDK-server fixture (one per JDK
 * for the whole class): each abuse ends with a normal scrape that must get its 200 within a second, and the
 * host's own endpoint must still answer. Counts are asserted exactly, as deltas of the listener's own
 * {@code coderd_metrics_agent_listener_*} families. The head timeout is 3 s here (default 5 s) to keep the
 * suite short; the cap is raised to 2,500 for the idle flood of 2,000.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.coderd.it.support.Jdk#all")
class ListenerAbuseIT {
    static final String REFUSED = "coderd_metrics_agent_listener_refused_total";
    static final String CONNECTIONS = "coderd_metrics_agent_listener_connections";
    static final String PROMHTTP = "promhttp_metric_handler_requests_total";

    @Parameter
    Jdk jdk;

    static ForkedJvm app;
    static int metricsPort;
    static int appPort;

    @BeforeParameterizedClassInvocation
    static void startFixture(Jdk jdk) {
        metricsPort = Ports.free();
        app = ForkedJvm.on(jdk).agent("port=" + metricsPort + ",listener.head-timeout=3s,listener.max-connections=2500")
                .main(JdkServerFixture.class, Integer.toString(Ports.free())).start(FoundationIT.READY);
        appPort = FoundationIT.appPort(app);
    }

    @AfterParameterizedClassInvocation
    static void stopFixture() {
        app.close();
    }

    /** The closing check of every abuse: a normal scrape within a second, and the host serving. */
    static void listenerAndHostServe() {
        RawHttp.Timed scrape = RawHttp.scrape(metricsPort);
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.millis()).as("a scrape right after, in ms").isLessThan(1000);
        assertThat(Http.rawStatus(appPort, FoundationIT.USERS + "after")).isEqualTo(200);
    }

    static Exposition metrics() {
        RawHttp.Timed scrape = RawHttp.scrape(metricsPort);
        assertThat(scrape.status()).isEqualTo(200);
        return Exposition.parse(scrape.body());
    }

    static double refused(Exposition after, Exposition before, String reason) {
        return after.delta(before, REFUSED, "reason", reason);
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            sleep(50);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void awaitConnections(double idle, double active) {
        // the scrape that reads the gauge is active itself
        await(() -> {
            Exposition m = metrics();
            return m.value(CONNECTIONS, "state", "idle") == idle && m.value(CONNECTIONS, "state", "active") == active + 1;
        }, idle + " idle and " + active + " active connections");
    }

    static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closed
            }
        }
    }

    @Test
    void twoHundredDrippingClientsCostNoWorkerAndEachGets408AtTheHeadDeadline() throws Exception {
        Exposition before = metrics();
        List<Socket> drips = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Socket s = RawHttp.connect(metricsPort);
            RawHttp.send(s, "GET /metrics HTTP/1.1\r\nHost: x\r\n");
            drips.add(s);
        }
        AtomicBoolean dripping = new AtomicBoolean(true);
        Thread drip = new Thread(() -> {
            for (int n = 0; dripping.get(); n++) {
                for (Socket s : drips) {
                    try {
                        s.getOutputStream().write(("X-Drip-" + n + ": 1\r\n").getBytes());
                    } catch (IOException closedByServer) {
                        // its 408 came
                    }
                }
                sleep(250);
            }
        });
        drip.start();
        try {
            for (int i = 0; i < 5; i++) { // all while 200 heads drip, well inside their 3 s
                RawHttp.Timed t = RawHttp.scrape(metricsPort);
                assertThat(t.status()).isEqualTo(200);
                assertThat(t.millis()).as("scrape " + i + " under the drip, in ms").isLessThan(1000);
                sleep(200);
            }
            for (Socket s : drips) {
                RawHttp.Response r = RawHttp.read(s);
                assertThat(r).extracting(RawHttp.Response::status).isEqualTo(408); // fails, not throws, on no answer
                assertThat(r.header("Connection")).isEqualTo("close");
            }
        } finally {
            dripping.set(false);
            drip.join();
            closeAll(drips);
        }
        awaitConnections(0, 0);
        assertThat(refused(metrics(), before, "head_timeout")).isEqualTo(200.0);
        listenerAndHostServe();
    }

    @Test
    void twoThousandIdleConnectionsCostNoWorkerAndScrapesAnswerAsUsual() {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 2000; i++) {
                idle.add(RawHttp.connect(metricsPort));
            }
            awaitConnections(2000, 0);
            for (int i = 0; i < 5; i++) {
                RawHttp.Timed t = RawHttp.scrape(metricsPort);
                assertThat(t.status()).isEqualTo(200);
                assertThat(t.millis()).as("scrape " + i + " beside 2,000 idle connections, in ms").isLessThan(1000);
            }
        } finally {
            closeAll(idle);
        }
        awaitConnections(0, 0);
        listenerAndHostServe();
    }

    @Test
    void oversizeLinesHeadersAndBodiesAreRefusedWithTheirStatus() {
        Exposition before = metrics();
        assertThat(RawHttp.exchange(metricsPort, "GET /" + "x".repeat(10_000) + " HTTP/1.1\r\n\r\n").status()).isEqualTo(414);
        assertThat(RawHttp.exchange(metricsPort, "GET /metrics HTTP/1.1\r\nCookie: " + "x".repeat(10_000) + "\r\n\r\n").status())
                .isEqualTo(431);
        assertThat(RawHttp.exchange(metricsPort, "GET /metrics HTTP/1.1\r\n" + "X-Many: 1\r\n".repeat(101) + "\r\n").status())
                .isEqualTo(431);
        RawHttp.Response body = RawHttp.exchange(metricsPort,
                "POST /metrics HTTP/1.1\r\nContent-Length: 5000000\r\n\r\n" + "x".repeat(200_000));
        assertThat(body.status()).isEqualTo(413);
        assertThat(body.body()).isEqualTo("request body larger than 1048576 bytes\n");
        Exposition after = metrics();
        assertThat(refused(after, before, "uri_too_long")).isEqualTo(1.0);
        assertThat(refused(after, before, "headers_too_large")).isEqualTo(2.0);
        assertThat(refused(after, before, "body_too_large")).isEqualTo(1.0);
        listenerAndHostServe();
    }

    @Test
    void malformedRequestLinesAndBytesThatAreNotHttpGet400() {
        Exposition before = metrics();
        for (String junk : List.of("GET\r\n\r\n", "GET /metrics\r\n\r\n", "GET metrics HTTP/1.1\r\n\r\n", "GET /metrics HTTP/9\r\n\r\n",
                "\u0000\u00ff\u0013binary\r\n\r\n", "SSH-2.0-OpenSSH_9.6\r\n")) {
            RawHttp.Response r = RawHttp.exchange(metricsPort, junk);
            assertThat(r).as(junk).extracting(RawHttp.Response::status).isEqualTo(400);
        }
        assertThat(refused(metrics(), before, "bad_request")).isEqualTo(6.0);
        listenerAndHostServe();
    }

    @Test
    void aTlsHandshakeAgainstThePlainPortFailsAtOnce() throws Exception {
        Exposition before = metrics();
        try (SSLSocket s = (SSLSocket) Tls.trustingAll().getSocketFactory().createSocket("127.0.0.1", metricsPort)) {
            s.setSoTimeout(5000);
            assertThatThrownBy(s::startHandshake).isInstanceOf(SSLException.class);
        }
        await(() -> refused(metrics(), before, "bad_request") == 1.0, "the ClientHello refused as not HTTP");
        listenerAndHostServe();
    }

    @Test
    void halfClosedSocketsGetTheirAnswerOrA400AndAreClosed() throws IOException {
        Exposition before = metrics();
        Socket complete = RawHttp.connect(metricsPort);
        RawHttp.send(complete, "GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n");
        complete.shutdownOutput();
        assertThat(RawHttp.read(complete).status()).isEqualTo(200);
        assertThat(RawHttp.closedByServer(complete)).isTrue();

        Socket partial = RawHttp.connect(metricsPort);
        RawHttp.send(partial, "GET /metr");
        partial.shutdownOutput();
        RawHttp.Response r = RawHttp.read(partial);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("connection closed inside the request\n");
        assertThat(RawHttp.closedByServer(partial)).isTrue();

        Socket silent = RawHttp.connect(metricsPort);
        silent.shutdownOutput();
        assertThat(RawHttp.closedByServer(silent)).isTrue();
        assertThat(refused(metrics(), before, "bad_request")).isEqualTo(1.0);
        awaitConnections(0, 0);
        listenerAndHostServe();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (Socket s = RawHttp.connect(metricsPort)) {
            RawHttp.send(s, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\nHEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawHttp.Response scrape = RawHttp.read(s);
            assertThat(scrape.status()).isEqualTo(200);
            assertThat(scrape.body()).contains("# TYPE coderd_metrics_agent_info gauge");
            assertThat(RawHttp.read(s).body()).isEqualTo("Exporter is Healthy.\n");
            assertThat(RawHttp.read(s).status()).isEqualTo(404);
            RawHttp.Response head = RawHttp.read(s);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Connection")).isEqualTo("close");
            assertThat(RawHttp.closedByServer(s)).isTrue();
        }
        listenerAndHostServe();
    }

    @Test
    void aHundredConcurrentScrapesAreAllServed() throws Exception {
        Exposition before = metrics();
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            List<Future<RawHttp.Timed>> scrapes = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                scrapes.add(pool.submit(() -> RawHttp.scrape(metricsPort)));
            }
            for (Future<RawHttp.Timed> f : scrapes) {
                assertThat(f.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        Exposition after = metrics();
        assertThat(after.delta(before, PROMHTTP, "code", "200")).isEqualTo(101.0); // and the one of "before"
        assertThat(after.delta(before, PROMHTTP, "code", "503")).isEqualTo(0.0);
        listenerAndHostServe();
    }
}

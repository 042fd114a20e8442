package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.fixtures.JdkServerFixture;
import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import dev.coderd.it.support.RawHttp;
import dev.coderd.it.support.Tls;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS and basic auth from a web-config file in the exporter-toolkit format, with certificates made in the
 * test by the JDK under test's keytool, and the JDK's HttpClient and {@code curl} standing in for Prometheus.
 * One fixture per JDK; the test that rewrites the file puts it back.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.coderd.it.support.Jdk#all")
class ListenerTlsIT {
    /** bcrypt of "s3cret", as {@code htpasswd -nBC 10 "" } writes it. */
    static final String HASH = "$2y$10$nFxSyFUhekm05NgJG5A5DuVW9c4zMISDyW/3UtnUnW1ThjYVcNkFu";
    static final String REFUSED = "coderd_metrics_agent_listener_refused_total";
    static final String WEB_CONFIG = "tls_server_config:\n  cert_file: tls/server.crt\n  key_file: tls/server.key\n"
            + "basic_auth_users:\n  prometheus: " + HASH + "\n"
            + "http_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n";

    @Parameter
    Jdk jdk;

    static Path dir;
    static Tls.Identity server;
    static Path webConfig;
    static ForkedJvm app;
    static int metricsPort;
    static int appPort;

    @BeforeParameterizedClassInvocation
    static void startFixture(Jdk jdk) throws IOException {
        jdk.assumeInstalled();
        dir = Files.createTempDirectory("web-config");
        // as a Kubernetes secret volume: tls -> certs-1, swapped atomically to rotate
        server = Tls.generate(jdk, Files.createDirectory(dir.resolve("certs-1")), "server", "coderd-metrics");
        Files.createSymbolicLink(dir.resolve("tls"), Path.of("certs-1"));
        webConfig = Files.writeString(dir.resolve("web.yml"), WEB_CONFIG);
        metricsPort = Ports.free();
        app = ForkedJvm.on(jdk).agent("port=" + metricsPort + ",web-config=" + webConfig)
                .main(JdkServerFixture.class, Integer.toString(Ports.free())).start(FoundationIT.READY);
        appPort = FoundationIT.appPort(app);
        app.await("INFO serving metrics on https", Duration.ofSeconds(20));
    }

    @AfterParameterizedClassInvocation
    static void stopFixture() throws IOException {
        if (app != null) {
            app.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static String url(String path) {
        return "https://127.0.0.1:" + metricsPort + path;
    }

    /** The certificate the listener presents now (behind the tls symlink, which a test swaps). */
    static Path currentCert() {
        return dir.resolve("tls").resolve("server.crt");
    }

    static SSLContext prometheus() {
        return Tls.trusting(currentCert(), null);
    }

    static Exposition metrics() throws Exception {
        HttpResponse<String> r = Tls.get(prometheus(), url("/metrics"), "Authorization", Tls.basic("prometheus", "s3cret"));
        assertThat(r.statusCode()).isEqualTo(200);
        return Exposition.parse(r.body());
    }

    static void hostServes() {
        assertThat(Http.rawStatus(appPort, FoundationIT.USERS + "after")).isEqualTo(200);
    }

    static <T> T await(Callable<T> value, T expected, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = value.call();
            } catch (IOException e) {
                last = null;
            }
            if (expected.equals(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + ": expected " + expected + ", last seen " + last);
    }

    static void awaitLines(String text, int count) throws Exception {
        await(() -> app.lines(text).size(), count, "log lines with '" + text + "'");
    }

    @Test
    void prometheusScrapesOverTlsWithBasicAuthAndStrangersGet401() throws Exception {
        // reading the file, the keys and certificates left java.util.logging to the application's main
        assertThat(app.lines("log manager ")).containsExactly("log manager " + JdkServerFixture.FixtureLogManager.class.getName());
        assertThat(app.output()).noneMatch(l -> l.startsWith("WARNING")); // no JDK warning (Unsafe, restricted methods)
        assertThat(app.lines("serving metrics on")).containsExactly("[coderd-metrics-agent] INFO serving metrics on https://0.0.0.0:"
                + metricsPort + "/metrics (web-config " + webConfig + ": TLS [TLSv1.2, TLSv1.3], basic auth (1 user), 1 response header)" + ForkedJvm.INTAKE_OFF);
        Exposition before = metrics();
        HttpResponse<String> ok = Tls.get(prometheus(), url("/metrics"), "Authorization", Tls.basic("prometheus", "s3cret"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(Exposition.parse(ok.body()).value("coderd_metrics_agent_info", "version", System.getProperty("it.agent.version")))
                .isEqualTo(1.0);

        for (String[] stranger : new String[][] {{"prometheus", "wrong"}, {"nobody", "s3cret"}}) {
            HttpResponse<String> r = Tls.get(prometheus(), url("/metrics"), "Authorization", Tls.basic(stranger[0], stranger[1]));
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic");
        }
        HttpResponse<String> anonymous = Tls.get(prometheus(), url("/metrics"));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(Tls.get(prometheus(), url("/")).statusCode()).isEqualTo(401);
        HttpResponse<String> healthy = Tls.get(prometheus(), url("/-/healthy"));
        assertThat(healthy.statusCode()).isEqualTo(200); // open without auth
        assertThat(healthy.body()).isEqualTo("Exporter is Healthy.\n");

        // curl, the other stand-in: verifies the certificate by its file, sends basic auth
        Tls.Curl curl = Tls.curl("--cacert", currentCert().toString(), "-u", "prometheus:s3cret", "-o", "/dev/null",
                "-w", "%{http_code}", url("/metrics"));
        assertThat(curl.output()).isEqualTo("200");
        assertThat(Tls.curl("--cacert", currentCert().toString(), "-o", "/dev/null", "-w", "%{http_code}", url("/metrics")).output())
                .isEqualTo("401");

        Exposition after = metrics();
        assertThat(after.delta(before, REFUSED, "reason", "unauthorized")).isEqualTo(5.0);
        assertThat(after.delta(before, "promhttp_metric_handler_requests_total", "code", "200")).isEqualTo(3.0);
        hostServes();
    }

    @Test
    void plainHttpAgainstTheTlsPortGetsAPlain400AndServesOn() throws Exception {
        Exposition before = metrics();
        RawHttp.Response r = RawHttp.exchange(metricsPort, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.head()).startsWith("HTTP/1.0 400 Bad Request\r\n");
        assertThat(Tls.curl("http://127.0.0.1:" + metricsPort + "/metrics").output()).isEqualTo("Client sent an HTTP request to an HTTPS server.\n");
        assertThat(metrics().delta(before, REFUSED, "reason", "bad_request")).isEqualTo(2.0);
        hostServes();
    }

    @Test
    void certificatesRotateClientCertificatesAreRequiredAndAnInvalidFileAnswers500UntilFixed() throws Exception {
        Exposition before = metrics();
        assertThat(Tls.peerSubject(metricsPort)).isEqualTo("CN=coderd-metrics");
        int reloads = app.lines("reloaded: ").size();
        // rotation as a Kubernetes secret update does it: new files, then the folder's symlink swapped at once; no restart
        Tls.Identity rotated = Tls.generate(jdk, Files.createDirectory(dir.resolve("certs-2")), "server", "coderd-metrics-rotated");
        Files.createSymbolicLink(dir.resolve("tls.new"), Path.of("certs-2"));
        Files.move(dir.resolve("tls.new"), dir.resolve("tls"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        await(() -> Tls.peerSubject(metricsPort), "CN=coderd-metrics-rotated", "the rotated certificate");
        awaitLines("reloaded: ", reloads + 1);
        SSLContext trustsRotated = Tls.trusting(rotated.cert(), null);
        assertThat(Tls.get(trustsRotated, url("/metrics"), "Authorization", Tls.basic("prometheus", "s3cret")).statusCode()).isEqualTo(200);

        // client certificates, verified against the CA file
        Tls.Identity client = Tls.generate(jdk, dir, "client", "prometheus-client");
        Files.writeString(webConfig, WEB_CONFIG.replace("  key_file: tls/server.key\n", "  key_file: tls/server.key\n"
                + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: client.crt\n"));
        awaitLines("reloaded: TLS [TLSv1.2, TLSv1.3], client certificates: RequireAndVerifyClientCert, basic auth (1 user)", 1);
        SSLContext withCert = Tls.trusting(rotated.cert(), client);
        assertThat(Tls.get(withCert, url("/metrics"), "Authorization", Tls.basic("prometheus", "s3cret")).statusCode()).isEqualTo(200);
        assertThat(Tls.refused(trustsRotated, metricsPort)).as("a client without a certificate").isTrue();
        Tls.Curl curl = Tls.curl("--cacert", rotated.cert().toString(), "--cert", client.cert().toString(), "--key",
                client.key().toString(), "-u", "prometheus:s3cret", "-o", "/dev/null", "-w", "%{http_code}", url("/metrics"));
        assertThat(curl.output()).isEqualTo("200");

        // an invalid file: never unprotected; 500 on every path but /-/healthy until it is fixed
        Files.writeString(webConfig, WEB_CONFIG + "basic_auth_user: {}\n");
        awaitLines("WARN web-config", 1);
        // the last valid TLS settings (client certificates required) still carry the answer
        assertThat(Tls.get(withCert, url("/metrics"), "Authorization", Tls.basic("prometheus", "s3cret")).statusCode()).isEqualTo(500);
        assertThat(app.lines("WARN web-config")).containsExactly("[coderd-metrics-agent] WARN web-config " + webConfig
                + " is not valid: unknown field 'basic_auth_user'; every path but /-/healthy answers 500 until the file is fixed");
        assertThat(Tls.get(withCert, url("/-/healthy")).statusCode()).isEqualTo(200);
        hostServes();

        Files.writeString(webConfig, WEB_CONFIG);
        awaitLines("reloaded: ", reloads + 3);
        assertThat(Tls.get(trustsRotated, url("/metrics"), "Authorization", Tls.basic("prometheus", "s3cret")).statusCode()).isEqualTo(200);
        Exposition after = Exposition.parse(Tls.get(trustsRotated, url("/metrics"), "Authorization",
                Tls.basic("prometheus", "s3cret")).body());
        assertThat(after.delta(before, "coderd_metrics_agent_listener_web_config_reloads_total", "result", "failure")).isEqualTo(1.0);
        assertThat(after.delta(before, REFUSED, "reason", "tls_handshake")).isEqualTo(1.0);
        assertThat(after.delta(before, REFUSED, "reason", "web_config_invalid")).isEqualTo(1.0);
        hostServes();
    }

    @Test
    void aWebConfigThatIsInvalidAtStartKeepsTheListenerOffUntilItIsFixed() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yml"), WEB_CONFIG.replace("key_file: tls/server.key", "key_file: missing.key"));
        int port = Ports.free();
        try (ForkedJvm off = ForkedJvm.on(jdk).agent("port=" + port + ",web-config=" + bad)
                .main(JdkServerFixture.class, Integer.toString(Ports.free())).start(FoundationIT.READY)) {
            off.await("WARN web-config", Duration.ofSeconds(20));
            assertThat(off.lines("[coderd-metrics-agent]")).containsExactly("[coderd-metrics-agent] WARN web-config " + bad
                    + " is not valid: tls_server_config.key_file: cannot read " + dir.resolve("missing.key")
                    + "; the metrics listener stays off until the file is fixed");
            assertThat(Http.listening(port)).isFalse();
            assertThat(Http.rawStatus(FoundationIT.appPort(off), FoundationIT.USERS + "a")).isEqualTo(200);

            Files.writeString(bad, WEB_CONFIG);
            off.await("INFO serving metrics on https", Duration.ofSeconds(20));
            assertThat(Tls.get(prometheus(), "https://127.0.0.1:" + port + "/-/healthy").statusCode()).isEqualTo(200);
        }
    }
}

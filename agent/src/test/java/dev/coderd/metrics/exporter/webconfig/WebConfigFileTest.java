package dev.coderd.metrics.exporter.webconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebConfigFileTest {
    static final String HASH = "$2y$10$nFxSyFUhekm05NgJG5A5DuVW9c4zMISDyW/3UtnUnW1ThjYVcNkFu"; // "s3cret"
    @TempDir
    static Path pki;
    static TestPki rsa;
    static TestPki ec;
    static TestPki other;

    @BeforeAll
    static void keys() throws Exception {
        rsa = TestPki.generate(pki, "rsa", "RSA");
        ec = TestPki.generate(pki, "ec", "EC");
        other = TestPki.generate(pki, "other", "RSA");
        TestPki.write(pki.resolve("rsa.crt"), rsa.certPem());
        TestPki.write(pki.resolve("rsa8.key"), rsa.pkcs8Pem());
        TestPki.write(pki.resolve("rsa1.key"), rsa.pkcs1Pem());
        TestPki.write(pki.resolve("ec.crt"), ec.certPem());
        TestPki.write(pki.resolve("ec8.key"), ec.pkcs8Pem());
        TestPki.write(pki.resolve("sec1.key"), ec.sec1Pem());
        TestPki.write(pki.resolve("other.crt"), other.certPem());
    }

    private static WebConfig load(String yaml) throws Exception {
        Path file = pki.resolve("web.yml");
        Files.writeString(file, yaml);
        return new WebConfigFile(file, (password, hash) -> false).load();
    }

    private static void assertInvalid(String yaml, String message) {
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(WebConfigException.class).hasMessage(message);
    }

    @Test
    void keysInPkcs8Pkcs1AndSec1WithTheirCertificatesGiveTls() throws Exception {
        for (String pair : List.of("rsa.crt rsa8.key", "rsa.crt rsa1.key", "ec.crt ec8.key", "ec.crt sec1.key")) {
            String[] files = pair.split(" ");
            WebConfig c = load("tls_server_config:\n  cert_file: " + files[0] + "\n  key_file: " + files[1] + "\n");
            assertThat(c.toString()).as(pair).isEqualTo("TLS [TLSv1.2, TLSv1.3]");
            SSLEngine engine = c.tls().newEngine();
            assertThat(engine.getUseClientMode()).isFalse();
            assertThat(engine.getNeedClientAuth()).isFalse();
            assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.2", "TLSv1.3");
        }
    }

    @Test
    void inlinePemClientCertificatesVersionsAndCiphersAreHonoured() throws Exception {
        String yaml = "tls_server_config:\n  cert: |\n" + rsa.certPem().indent(4) + "  key: |\n" + rsa.pkcs8Pem().indent(4)
                + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: other.crt\n  min_version: TLS13\n"
                + "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\n  prefer_server_cipher_suites: false\n";
        WebConfig c = load(yaml);
        assertThat(c.toString()).isEqualTo("TLS [TLSv1.3], client certificates: RequireAndVerifyClientCert");
        SSLEngine engine = c.tls().newEngine();
        assertThat(engine.getNeedClientAuth()).isTrue();
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3");
        assertThat(engine.getEnabledCipherSuites()[0]).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(Arrays.asList(engine.getEnabledCipherSuites())).contains("TLS_AES_128_GCM_SHA256");
        assertThat(engine.getSSLParameters().getUseCipherSuitesOrder()).isFalse();
        assertThat(load("tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa8.key\n  client_auth_type: VerifyClientCertIfGiven\n"
                + "  client_ca_file: other.crt\n").tls().newEngine().getWantClientAuth()).isTrue();
        assertThat(load("tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa8.key\n  client_allowed_sans: [prometheus]\n"
                + "  client_auth_type: RequestClientCert\n").tls().newEngine().getNeedClientAuth()).isTrue();
    }

    @Test
    void usersHeadersAndARateLimitWithoutTls() throws Exception {
        WebConfig c = load("basic_auth_users:\n  prometheus: " + HASH + "\nhttp_server_config:\n  http2: false\n  headers:\n"
                + "    X-Frame-Options: deny\n    Strict-Transport-Security: max-age=31536000\n    X-XSS-Protection: ''\n"
                + "rate_limit:\n  interval: 1m30s\n  burst: 2\n");
        assertThat(c.tls()).isNull();
        assertThat(c.auth().size()).isEqualTo(1);
        assertThat(c.headers()).extracting(h -> h[0] + ": " + h[1])
                .containsExactly("X-Frame-Options: deny", "Strict-Transport-Security: max-age=31536000");
        assertThat(c.toString()).isEqualTo("plain HTTP, basic auth (1 user), 2 response headers, rate limit 2 per PT1M30S");
        RateLimit limit = c.rateLimit();
        assertThat(limit.tryAcquire(0)).isTrue();
        assertThat(limit.tryAcquire(1)).isTrue();
        assertThat(limit.tryAcquire(2)).isFalse();
        assertThat(limit.tryAcquire(Duration.ofSeconds(90).toNanos())).isTrue();
        assertThat(limit.tryAcquire(Duration.ofSeconds(91).toNanos())).isFalse();
        assertThat(load("")).isSameAs(WebConfig.NONE);
        assertThat(load("tls_server_config:\n  min_version: TLS13\n").tls()).isNull(); // as in the toolkit: no cert, no TLS
    }

    @Test
    void everyMistakeNamesItsFieldAndMakesTheWholeFileInvalid() {
        String tls = "tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa8.key\n";
        assertInvalid("basic_auth_user:\n  a: b\n", "unknown field 'basic_auth_user'");
        assertInvalid("tls_server_config:\n  certfile: x\n", "tls_server_config: unknown field 'certfile'");
        assertInvalid("tls_server_config: [a]\n", "tls_server_config must be a mapping");
        assertInvalid("tls_server_config:\n  cert_file: rsa.crt\n", "tls_server_config.: missing one of key or key_file");
        assertInvalid("tls_server_config:\n  cert_file: rsa.crt\n  key_file: nope.key\n",
                "tls_server_config.key_file: cannot read " + pki.resolve("nope.key"));
        assertInvalid("tls_server_config:\n  cert_file: other.crt\n  key_file: rsa8.key\n",
                "the private key does not belong to the certificate (CN=other)");
        assertInvalid("tls_server_config:\n  cert_file: rsa8.key\n  key_file: rsa8.key\n",
                "tls_server_config.cert_file holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        assertInvalid(tls + "  min_version: TLS14\n", "tls_server_config.min_version: unknown TLS version TLS14 (TLS10, TLS11, TLS12, TLS13)");
        assertInvalid(tls + "  min_version: TLS13\n  max_version: TLS12\n", "tls_server_config: min_version TLS13 is above max_version TLS12");
        assertInvalid(tls + "  client_auth_type: Maybe\n", "tls_server_config.client_auth_type: 'Maybe' is not one of NoClientCert, "
                + "RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert");
        assertInvalid(tls + "  client_ca_file: other.crt\n", "tls_server_config: client CAs are configured without a "
                + "client_auth_type that asks for client certificates");
        assertInvalid(tls + "  client_auth_type: RequireAndVerifyClientCert\n", "tls_server_config.client_auth_type "
                + "RequireAndVerifyClientCert needs client_ca_file (or client_ca) to verify client certificates against");
        assertInvalid(tls + "  cipher_suites: [TLS_INVENTED]\n", "tls_server_config.cipher_suites: unknown cipher TLS_INVENTED");
        assertInvalid("http_server_config:\n  headers:\n    Server: x\n",
                "http_server_config.headers: HTTP header \"Server\" can not be configured");
        assertInvalid("http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n", "http_server_config.headers: "
                + "invalid value for X-Content-Type-Options. Expected one of: [nosniff], but got: \"sniff\"");
        assertInvalid("basic_auth_users:\n  alice: plaintext\n", "basic_auth_users: the password of 'alice' is not a bcrypt hash "
                + "($2y$10$ followed by 53 characters; htpasswd -nBC 10 \"\" makes one)");
        assertInvalid("rate_limit:\n  interval: 1s\n", "rate_limit.burst must be a whole number of at least 1 when rate_limit.interval is set");
        assertInvalid("rate_limit:\n  interval: soon\n  burst: 1\n", "rate_limit.interval: 'soon' is not a duration such as 100ms, 1s or 1m30s");
        assertInvalid("tls_server_config: {cert_file: [", "not valid YAML (while parsing a flow node)");
    }

    @Test
    void aChangeToTheFileOrToACertificateItNamesIsSeen() throws Exception {
        Path file = pki.resolve("watched.yml");
        Files.writeString(file, "tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa8.key\n");
        WebConfigFile watched = new WebConfigFile(file);
        assertThat(watched.changed()).isTrue();
        watched.load();
        assertThat(watched.changed()).isFalse();
        Files.writeString(pki.resolve("rsa8.key"), rsa.pkcs8Pem() + "\n"); // a rotated key, same name
        assertThat(watched.changed()).isTrue();
        watched.load();
        assertThat(watched.changed()).isFalse();
        Files.delete(file);
        assertThat(watched.changed()).isTrue();
        assertThatThrownBy(watched::load).hasMessage("cannot read " + file.toAbsolutePath());
        assertThat(watched.changed()).isFalse();
    }
}

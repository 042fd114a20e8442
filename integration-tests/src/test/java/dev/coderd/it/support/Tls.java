package dev.coderd.it.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Certificates made in the test by the {@code keytool} of the JDK under test, written as the PEM files a
 * web-config names, and TLS clients that stand in for Prometheus (the JDK's {@link HttpClient}; {@code curl}
 * in the tests themselves).
 */
public final class Tls {
    private Tls() {}

    /** A key pair and self-signed certificate: {@code <name>.crt}, {@code <name>.key} (PKCS#8), {@code <name>.p12}. */
    public record Identity(Path cert, Path key, Path p12) {}

    public static Identity generate(Jdk jdk, Path dir, String name, String cn) {
        Path p12 = dir.resolve(name + ".p12");
        try {
            Files.deleteIfExists(p12);
            Process p = new ProcessBuilder(jdk.tool("keytool").toString(), "-genkeypair", "-keystore", p12.toString(),
                    "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit", "-alias", name, "-keyalg", "RSA",
                    "-keysize", "2048", "-dname", "CN=" + cn, "-validity", "2", "-ext", "SAN=dns:localhost,ip:127.0.0.1")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            KeyStore ks = load(p12);
            Path cert = dir.resolve(name + ".crt");
            Path key = dir.resolve(name + ".key");
            Files.writeString(cert, pem("CERTIFICATE", ks.getCertificate(name).getEncoded()));
            Files.writeString(key, pem("PRIVATE KEY", ks.getKey(name, "changeit".toCharArray()).getEncoded()));
            return new Identity(cert, key, p12);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(Path p12) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        return ks;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Trusts {@code cert} only; presents {@code client} when given. */
    public static SSLContext trusting(Path cert, Identity client) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(cert))) {
                trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (client != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(client.p12()), "changeit".toCharArray());
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trusts anything: for looking at what a server presents. */
    public static SSLContext trustingAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
                @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
                @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The subject of the certificate a new TLS connection to the port is shown. */
    public static String peerSubject(int port) throws IOException {
        try (SSLSocket s = (SSLSocket) trustingAll().getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    /**
     * True when one TLS connection with {@code ctx} is refused: the handshake or the first exchange fails (with
     * TLS 1.3 the server's verdict on a client certificate arrives after the client thinks it is done). One
     * connection exactly, unlike the JDK's HttpClient, which tries a failed handshake twice.
     */
    public static boolean refused(SSLContext ctx, int port) {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.startHandshake();
            s.getOutputStream().write("GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return s.getInputStream().read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** GET over HTTPS with the JDK client, as Prometheus would scrape: status and body. */
    public static HttpResponse<String> get(SSLContext ctx, String url, String... headers) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Runs curl; its output (stdout and stderr) and exit code. */
    public record Curl(int exit, String output) {}

    public static Curl curl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-S", "--max-time", "10"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Curl(p.waitFor(), out);
        } catch (IOException e) {
            throw new IllegalStateException("curl is needed as the Prometheus stand-in", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

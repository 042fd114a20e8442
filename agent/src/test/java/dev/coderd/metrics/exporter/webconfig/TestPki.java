package dev.coderd.metrics.exporter.webconfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Keys and self-signed certificates made by the JDK's own {@code keytool}, written as PEM in each format the
 * web-config accepts: PKCS#8, PKCS#1 (RSA) and SEC1 (EC, with its curve as openssl writes it).
 */
final class TestPki {
    final PrivateKey key;
    final Certificate cert;

    private TestPki(PrivateKey key, Certificate cert) {
        this.key = key;
        this.cert = cert;
    }

    static TestPki generate(Path dir, String name, String keyalg) throws Exception {
        Path store = dir.resolve(name + ".p12");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-keypass", "changeit", "-alias", name, "-keyalg", keyalg, "-dname", "CN=" + name, "-validity", "2",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1"));
        if (keyalg.equals("EC")) {
            cmd.addAll(List.of("-groupname", "secp256r1"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (InputStream out = p.getInputStream()) {
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + text);
            }
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        return new TestPki((PrivateKey) ks.getKey(name, "changeit".toCharArray()), ks.getCertificate(name));
    }

    String certPem() throws Exception {
        return pem("CERTIFICATE", cert.getEncoded());
    }

    String pkcs8Pem() {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** RSA only: the PKCS#1 key is the OCTET STRING inside the PKCS#8 one. */
    String pkcs1Pem() {
        return pem("RSA PRIVATE KEY", elements(key.getEncoded()).get(2).content());
    }

    /** EC only: SEC1 with the curve in [0], as {@code openssl ecparam -genkey} writes it. */
    String sec1Pem() {
        List<Tlv> pkcs8 = elements(key.getEncoded());
        Tlv curve = elements(tlv(0x30, pkcs8.get(1).content())).get(1);
        List<Tlv> sec1 = elements(pkcs8.get(2).content());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(sec1.get(0).all());                  // version
        body.writeBytes(sec1.get(1).all());                  // the private key
        body.writeBytes(tlv(0xa0, curve.all()));             // [0] the curve
        return "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + pem("EC PRIVATE KEY", tlv(0x30, body.toByteArray()));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    record Tlv(int tag, byte[] content, byte[] all) {}

    /** The elements of the SEQUENCE {@code der}. */
    static List<Tlv> elements(byte[] der) {
        int[] outer = header(der, 0);
        List<Tlv> out = new ArrayList<>();
        for (int p = outer[0]; p < outer[0] + outer[1]; ) {
            int[] h = header(der, p);
            out.add(new Tlv(der[p] & 0xff, Arrays.copyOfRange(der, h[0], h[0] + h[1]), Arrays.copyOfRange(der, p, h[0] + h[1])));
            p = h[0] + h[1];
        }
        return out;
    }

    private static int[] header(byte[] der, int p) {
        int len = der[p + 1] & 0xff;
        int start = p + 2;
        if (len >= 0x80) {
            int n = len & 0x7f;
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[start + i] & 0xff);
            }
            start += n;
        }
        return new int[] {start, len};
    }

    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (content.length < 0x80) {
            out.write(content.length);
        } else if (content.length < 0x100) {
            out.write(0x81);
            out.write(content.length);
        } else {
            out.write(0x82);
            out.write(content.length >> 8);
            out.write(content.length);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }
}

package dev.coderd.metrics.exporter.webconfig;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM certificates and private keys with the JDK's own classes: keys in PKCS#8 ({@code PRIVATE KEY}: RSA,
 * EC, Ed25519, Ed448, RSASSA-PSS), PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}, what
 * {@code openssl ecparam -genkey} writes) — the formats Go's {@code tls.X509KeyPair} reads. The last two are
 * wrapped into PKCS#8 by hand (a few bytes of DER) rather than with a security provider: the agent installs
 * none. Encrypted keys are refused with a hint.
 */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
            0x0d, 0x01, 0x01, 0x01, 0x05, 0x00}; // SEQUENCE { rsaEncryption, NULL }
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private Pem() {}

    private record Block(String type, byte[] der) {}

    private static List<Block> blocks(String pem) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
        }
        return blocks;
    }

    /** Every {@code CERTIFICATE} block, in order (leaf first for a chain). */
    static List<X509Certificate> certificates(String pem, String field) throws WebConfigException {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(pem)) {
                if (b.type().equals("CERTIFICATE")) {
                    certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new WebConfigException(field + " holds a certificate that cannot be read", e);
        }
        if (certs.isEmpty()) {
            throw new WebConfigException(field + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certs;
    }

    static PrivateKey privateKey(String pem, String field) throws WebConfigException {
        for (Block b : blocks(pem)) {
            try {
                switch (b.type()) {
                    case "PRIVATE KEY":
                        return pkcs8(b.der(), field);
                    case "RSA PRIVATE KEY":
                        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                                sequence(VERSION_0, RSA_ALGORITHM, tlv(0x04, b.der()))));
                    case "EC PRIVATE KEY":
                        byte[] algorithm = sequence(EC_PUBLIC_KEY_OID, sec1Curve(b.der(), field));
                        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                                sequence(VERSION_0, algorithm, tlv(0x04, b.der()))));
                    case "ENCRYPTED PRIVATE KEY":
                        throw new WebConfigException(field + " is encrypted; give the agent a decrypted key "
                                + "(openssl pkey -in encrypted.key -out server.key)");
                    default:
                        // EC PARAMETERS and the like: skip
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new WebConfigException(field + " holds a " + b.type() + " that cannot be read", e);
            }
        }
        throw new WebConfigException(field + " holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(byte[] der, String field) throws WebConfigException {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException notThisOne) {
                // try the next
            }
        }
        throw new WebConfigException(field + " holds a PKCS#8 key of a type the JDK cannot use here");
    }

    /** Fails unless {@code key} signs what the certificate's public key verifies. */
    static void checkPair(PrivateKey key, X509Certificate cert) throws WebConfigException {
        String algorithm;
        switch (key.getAlgorithm()) {
            case "RSA": algorithm = "SHA256withRSA"; break;
            case "EC": algorithm = "SHA256withECDSA"; break;
            case "EdDSA": case "Ed25519": case "Ed448": algorithm = "EdDSA"; break;
            default: return; // RSASSA-PSS needs parameters; the handshake will tell
        }
        byte[] probe = "coderd-metrics-agent key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException | RuntimeException mismatch) {
            // reported below
        }
        throw new WebConfigException("the private key does not belong to the certificate ("
                + cert.getSubjectX500Principal().getName() + ")");
    }

    /** The curve OID (its whole TLV) from the {@code [0]} parameters of a SEC1 {@code ECPrivateKey}. */
    private static byte[] sec1Curve(byte[] der, String field) throws WebConfigException {
        int[] outer = header(der, 0);             // SEQUENCE
        int p = outer[0];
        for (int i = 0; i < 2; i++) {             // version INTEGER, privateKey OCTET STRING
            int[] h = header(der, p);
            p = h[0] + h[1];
        }
        if (p < der.length && (der[p] & 0xff) == 0xa0) {
            int[] params = header(der, p);
            return Arrays.copyOfRange(der, params[0], params[0] + params[1]);
        }
        throw new WebConfigException(field + " is an EC key without its curve; write it as PKCS#8 "
                + "(openssl pkcs8 -topk8 -nocrypt -in ec.key -out server.key)");
    }

    /** {content start, content length} of the TLV at {@code p}. */
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
        if (start + len > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        return new int[] {start, len};
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return tlv(0x30, content.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}

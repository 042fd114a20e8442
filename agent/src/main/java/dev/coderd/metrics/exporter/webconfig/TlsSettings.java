package dev.coderd.metrics.exporter.webconfig;

import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * {@code tls_server_config} made into a private {@link SSLContext} of the JDK's default provider: nothing is
 * installed, no system or security property is read for us or changed (the host's {@code javax.net.ssl.*}
 * and {@code jdk.tls.*} settings still apply to our context as they apply to the host's own). Each accepted
 * connection gets its engine from {@link #newEngine()}.
 *
 * <p>{@code client_auth_type} as Go's {@code tls.ClientAuthType}: {@code NoClientCert};
 * {@code RequestClientCert} (asked, not verified); {@code RequireAnyClientCert} (required, not verified);
 * {@code VerifyClientCertIfGiven}; {@code RequireAndVerifyClientCert} (required and verified against
 * {@code client_ca_file}).
 */
public final class TlsSettings {
    enum ClientAuth {
        NO_CLIENT_CERT(false, false, false),
        REQUEST_CLIENT_CERT(true, false, false),
        REQUIRE_ANY_CLIENT_CERT(false, true, false),
        VERIFY_CLIENT_CERT_IF_GIVEN(true, false, true),
        REQUIRE_AND_VERIFY_CLIENT_CERT(false, true, true);

        final boolean want;
        final boolean need;
        final boolean verify;

        ClientAuth(boolean want, boolean need, boolean verify) {
            this.want = want;
            this.need = need;
            this.verify = verify;
        }

        static ClientAuth parse(String text) throws WebConfigException {
            switch (text) {
                case "": case "NoClientCert": return NO_CLIENT_CERT;
                case "RequestClientCert": return REQUEST_CLIENT_CERT;
                case "RequireAnyClientCert": case "RequireClientCert": return REQUIRE_ANY_CLIENT_CERT;
                case "VerifyClientCertIfGiven": return VERIFY_CLIENT_CERT_IF_GIVEN;
                case "RequireAndVerifyClientCert": return REQUIRE_AND_VERIFY_CLIENT_CERT;
                default:
                    throw new WebConfigException("tls_server_config.client_auth_type: '" + text + "' is not one of NoClientCert, "
                            + "RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert");
            }
        }
    }

    static final List<String> VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");
    private static final List<String> PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    private static final String[] CURVE_NAMES = {"X25519", "x25519", "CurveP256", "secp256r1", "CurveP384", "secp384r1",
            "CurveP521", "secp521r1"};

    private final SSLContext context;
    private final ClientAuth clientAuth;
    private final String[] protocols;
    private final String[] cipherSuites; // null: the JDK's defaults
    private final String[] namedGroups;  // null: the JDK's defaults
    private final boolean serverCipherOrder;
    private final boolean requireCert;
    private final String summary;

    private TlsSettings(SSLContext context, ClientAuth clientAuth, boolean requireCert, String[] protocols, String[] cipherSuites,
                        String[] namedGroups, boolean serverCipherOrder, String summary) {
        this.context = context;
        this.clientAuth = clientAuth;
        this.requireCert = requireCert;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
        this.namedGroups = namedGroups;
        this.serverCipherOrder = serverCipherOrder;
        this.summary = summary;
    }

    /** A server-side engine for one accepted connection. */
    public SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(protocols);
        if (cipherSuites != null) {
            p.setCipherSuites(cipherSuites);
        }
        p.setUseCipherSuitesOrder(serverCipherOrder);
        if (requireCert) {
            p.setNeedClientAuth(true);
        } else if (clientAuth.want) {
            p.setWantClientAuth(true);
        }
        if (namedGroups != null) {
            setNamedGroups(p, namedGroups);
        }
        engine.setSSLParameters(p);
        return engine;
    }

    @Override
    public String toString() {
        return summary;
    }

    static TlsSettings build(List<X509Certificate> chain, PrivateKey key, ClientAuth clientAuth,
                             List<X509Certificate> clientCas, List<String> allowedSans, String minVersion, String maxVersion,
                             List<String> ciphers, boolean preferServerCiphers, List<String> curves) throws WebConfigException {
        Pem.checkPair(key, chain.get(0));
        if (clientCas != null && clientAuth == ClientAuth.NO_CLIENT_CERT) {
            throw new WebConfigException("tls_server_config: client CAs are configured without a client_auth_type that asks "
                    + "for client certificates");
        }
        if (clientAuth.verify && clientCas == null) {
            throw new WebConfigException("tls_server_config.client_auth_type " + clientAuthName(clientAuth)
                    + " needs client_ca_file (or client_ca) to verify client certificates against");
        }
        int min = VERSIONS.indexOf(minVersion);
        int max = VERSIONS.indexOf(maxVersion);
        if (min > max) {
            throw new WebConfigException("tls_server_config: min_version " + minVersion + " is above max_version " + maxVersion);
        }
        try {
            char[] password = "coderd-metrics-agent".toCharArray(); // an in-memory key store's, never written anywhere
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", key, password, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            X509ExtendedTrustManager trust;
            if (!clientAuth.verify) {
                trust = new AnyClient(); // asked for or required, not verified: Go's semantics of these two modes
            } else {
                KeyStore cas = KeyStore.getInstance("PKCS12");
                cas.load(null, null);
                int i = 0;
                for (X509Certificate ca : clientCas) {
                    cas.setCertificateEntry("ca" + i++, ca);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
                tmf.init(cas);
                trust = (X509ExtendedTrustManager) Arrays.stream(tmf.getTrustManagers())
                        .filter(t -> t instanceof X509ExtendedTrustManager).findFirst().orElseThrow();
            }
            if (allowedSans != null) {
                trust = new AllowedSans(trust, allowedSans);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), new TrustManager[] {trust}, null);

            SSLEngine probe = context.createSSLEngine();
            Set<String> supportedProtocols = new LinkedHashSet<>(Arrays.asList(probe.getSupportedProtocols()));
            List<String> protocols = new ArrayList<>();
            for (int v = min; v <= max; v++) {
                if (supportedProtocols.contains(PROTOCOLS.get(v))) {
                    protocols.add(PROTOCOLS.get(v));
                }
            }
            String[] suites = null;
            if (ciphers != null && !ciphers.isEmpty()) {
                Set<String> supported = new LinkedHashSet<>(Arrays.asList(probe.getSupportedCipherSuites()));
                Set<String> chosen = new LinkedHashSet<>();
                for (String c : ciphers) {
                    if (!supported.contains(c)) {
                        throw new WebConfigException("tls_server_config.cipher_suites: unknown cipher " + c);
                    }
                    chosen.add(c);
                }
                for (String c : probe.getEnabledCipherSuites()) {
                    if (c.startsWith("TLS_AES_") || c.startsWith("TLS_CHACHA20_")) {
                        chosen.add(c); // as in Go, cipher_suites choose among TLS 1.2 suites; TLS 1.3's stay on
                    }
                }
                suites = chosen.toArray(new String[0]);
            }
            String[] groups = curves == null || curves.isEmpty() ? null : namedGroups(curves);
            String summary = "TLS " + protocols + (clientAuth == ClientAuth.NO_CLIENT_CERT ? "" : ", client certificates: "
                    + clientAuthName(clientAuth));
            // client_allowed_sans can only be checked on a certificate: with it, one is required
            return new TlsSettings(context, clientAuth, clientAuth.need || allowedSans != null, protocols.toArray(new String[0]), suites, groups,
                    preferServerCiphers, summary);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new WebConfigException("tls_server_config cannot be used", e);
        }
    }

    private static String clientAuthName(ClientAuth a) {
        StringBuilder s = new StringBuilder();
        for (String part : a.name().toLowerCase(Locale.ROOT).split("_")) {
            s.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return s.toString();
    }

    private static String[] namedGroups(List<String> curves) throws WebConfigException {
        if (setNamedGroupsMethod() == null) {
            throw new WebConfigException("tls_server_config.curve_preferences needs Java 20 or later (this JVM is "
                    + Runtime.version().feature() + "); remove it to use the JDK's default groups");
        }
        List<String> groups = new ArrayList<>();
        outer:
        for (String curve : curves) {
            for (int i = 0; i < CURVE_NAMES.length; i += 2) {
                if (CURVE_NAMES[i].equals(curve)) {
                    groups.add(CURVE_NAMES[i + 1]);
                    continue outer;
                }
            }
            throw new WebConfigException("tls_server_config.curve_preferences: unknown curve " + curve
                    + " (X25519, CurveP256, CurveP384, CurveP521)");
        }
        return groups.toArray(new String[0]);
    }

    private static Method setNamedGroupsMethod() {
        try {
            return SSLParameters.class.getMethod("setNamedGroups", String[].class); // Java 20+
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static void setNamedGroups(SSLParameters p, String[] groups) {
        try {
            setNamedGroupsMethod().invoke(p, (Object) groups);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RequestClientCert and RequireAnyClientCert: a certificate is asked for (or required) but not verified. */
    private static final class AnyClient extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a server's trust manager checks no servers");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a server's trust manager checks no servers");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a server's trust manager checks no servers");
        }

        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    /**
     * {@code client_allowed_sans}: after the usual checks, the client certificate must carry one of the listed
     * Subject Alternative Names (DNS, e-mail, IP address or URI), compared exactly (IP addresses as addresses).
     */
    private static final class AllowedSans extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final List<String> allowed;
        private final List<InetAddress> allowedIps = new ArrayList<>();

        AllowedSans(X509ExtendedTrustManager delegate, List<String> allowed) {
            this.delegate = delegate;
            this.allowed = allowed;
            for (String a : allowed) {
                InetAddress ip = ipLiteral(a);
                if (ip != null) {
                    allowedIps.add(ip);
                }
            }
        }

        private void checkSans(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("no client certificate");
            }
            Collection<List<?>> sans = chain[0].getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    Object value = san.get(1);
                    if ((type == 1 || type == 2 || type == 6) && allowed.contains(String.valueOf(value))) {
                        return;
                    }
                    if (type == 7) {
                        InetAddress ip = ipLiteral(String.valueOf(value));
                        if (ip != null && allowedIps.contains(ip)) {
                            return;
                        }
                    }
                }
            }
            throw new CertificateException("the client certificate has none of the allowed SANs " + allowed);
        }

        /** An IP address written as one, else null; never a name lookup. */
        private static InetAddress ipLiteral(String s) {
            if (!s.matches("[0-9.]+") && !(s.contains(":") && s.matches("[0-9a-fA-F:.]+"))) {
                return null;
            }
            try {
                return InetAddress.getByName(s); // a literal: parsed, not resolved
            } catch (java.net.UnknownHostException e) {
                return null;
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
            checkSans(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
            checkSans(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
            checkSans(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}

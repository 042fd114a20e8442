package dev.coderd.metrics.exporter.webconfig;

import dev.coderd.metrics.config.YamlTree;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The web-config file of the Prometheus exporter-toolkit (what node_exporter reads with
 * {@code --web.config.file}), read strictly as the toolkit reads it: an unknown field, a wrong type, a bad
 * value or an unreadable certificate makes the whole file invalid, with one message that names the field.
 *
 * <pre>
 * WebConfigFile file = new WebConfigFile(Path.of("/etc/coderd/web.yml"));
 * WebConfig config = file.load();      // throws WebConfigException
 * if (file.changed()) config = file.load(); // polled: the file and the certificate files it names
 * </pre>
 *
 * <p>Relative file names are relative to the web-config file's folder, as in the toolkit. Changes are found
 * by content, not by modification time, so a Kubernetes secret's symlink swap and a rewrite within the same
 * second are both seen.
 */
public final class WebConfigFile {
    private static final Set<String> ROOT = Set.of("tls_server_config", "http_server_config", "basic_auth_users", "rate_limit");
    private static final Set<String> TLS = Set.of("cert", "key", "client_ca", "cert_file", "key_file", "client_auth_type",
            "client_ca_file", "cipher_suites", "curve_preferences", "min_version", "max_version",
            "prefer_server_cipher_suites", "client_allowed_sans");
    private static final Set<String> HTTP = Set.of("http2", "headers");
    private static final Set<String> RATE = Set.of("interval", "burst");
    /** The toolkit's own list: only these headers may be set, some only to these values. */
    private static final Map<String, List<String>> HEADERS = Map.of(
            "Strict-Transport-Security", List.of(),
            "X-Content-Type-Options", List.of("nosniff"),
            "X-Frame-Options", List.of("deny", "sameorigin"),
            "X-XSS-Protection", List.of(),
            "Content-Security-Policy", List.of());

    private final Path path;
    private final BasicAuth.PasswordCheck passwordCheck;
    private Map<Path, byte[]> seen = new LinkedHashMap<>();

    public WebConfigFile(Path path) {
        this(path, BasicAuth.BCRYPT);
    }

    WebConfigFile(Path path, BasicAuth.PasswordCheck passwordCheck) {
        this.path = path.toAbsolutePath();
        this.passwordCheck = passwordCheck;
    }

    public Path path() {
        return path;
    }

    /** True when the file, or a file it names, reads differently from the last {@link #load}. */
    public boolean changed() {
        if (seen.isEmpty()) {
            return true;
        }
        for (Map.Entry<Path, byte[]> file : seen.entrySet()) {
            if (!Arrays.equals(file.getValue(), readOrNull(file.getKey()))) {
                return true;
            }
        }
        return false;
    }

    public WebConfig load() throws WebConfigException {
        Map<Path, byte[]> read = new LinkedHashMap<>();
        seen = read;
        byte[] bytes = readOrNull(path);
        read.put(path, bytes);
        if (bytes == null) {
            throw new WebConfigException("cannot read " + path);
        }
        Object root;
        try {
            root = YamlTree.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (YAMLException e) {
            throw new WebConfigException("not valid YAML (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null) {
            return WebConfig.NONE; // an empty file: as in the toolkit, no TLS and no users
        }
        Map<String, Object> top = mapping(root, "the file", ROOT);
        TlsSettings tls = tls(mapping(top.get("tls_server_config"), "tls_server_config", TLS), read);
        Map<String, Object> http = mapping(top.get("http_server_config"), "http_server_config", HTTP);
        bool(http, "http2", "http_server_config", true); // checked for its type; the listener speaks HTTP/1.1 only
        List<String[]> headers = headers(mapping(http.get("headers"), "http_server_config.headers", null));
        Map<String, Object> userMap = mapping(top.get("basic_auth_users"), "basic_auth_users", null);
        BasicAuth auth = null;
        if (!userMap.isEmpty()) {
            Map<String, String> users = new LinkedHashMap<>();
            for (Map.Entry<String, Object> u : userMap.entrySet()) {
                users.put(u.getKey(), string(u.getValue(), "basic_auth_users." + u.getKey()));
            }
            auth = BasicAuth.of(users, passwordCheck);
        }
        return new WebConfig(tls, auth, headers, rateLimit(mapping(top.get("rate_limit"), "rate_limit", RATE)));
    }

    private TlsSettings tls(Map<String, Object> t, Map<Path, byte[]> read) throws WebConfigException {
        String field = "tls_server_config.";
        boolean enabled = false;
        for (String k : List.of("cert", "key", "client_ca", "cert_file", "key_file", "client_ca_file", "client_auth_type")) {
            enabled |= !str(t, k, field).isEmpty();
        }
        if (!enabled) {
            return null; // as the toolkit: min_version and the like alone do not turn TLS on
        }
        String certPem = pem(t, "cert", "cert_file", read, true);
        String keyPem = pem(t, "key", "key_file", read, true);
        String caPem = pem(t, "client_ca", "client_ca_file", read, false);
        List<X509Certificate> chain = Pem.certificates(certPem, field + (t.containsKey("cert") ? "cert" : "cert_file"));
        PrivateKey key = Pem.privateKey(keyPem, field + (t.containsKey("key") ? "key" : "key_file"));
        List<X509Certificate> cas = caPem == null ? null
                : Pem.certificates(caPem, field + (t.containsKey("client_ca") ? "client_ca" : "client_ca_file"));
        String min = version(t, "min_version", "TLS12");
        String max = version(t, "max_version", "TLS13");
        List<String> sans = t.get("client_allowed_sans") == null ? null : list(t, "client_allowed_sans", field);
        return TlsSettings.build(chain, key, TlsSettings.ClientAuth.parse(str(t, "client_auth_type", field)), cas, sans,
                min, max, list(t, "cipher_suites", field), bool(t, "prefer_server_cipher_suites", "tls_server_config", true),
                list(t, "curve_preferences", field));
    }

    /** The PEM text of an inline field or of the file a {@code _file} field names; both at once is an error. */
    private String pem(Map<String, Object> t, String inline, String file, Map<Path, byte[]> read, boolean required)
            throws WebConfigException {
        String field = "tls_server_config.";
        String text = str(t, inline, field);
        String name = str(t, file, field);
        if (!text.isEmpty() && !name.isEmpty()) {
            throw new WebConfigException(field + inline + " and " + field + file + " are both set; use one");
        }
        if (!text.isEmpty()) {
            return text;
        }
        if (name.isEmpty()) {
            if (required) {
                throw new WebConfigException(field + ": missing one of " + inline + " or " + file);
            }
            return null;
        }
        Path p = path.getParent() == null ? Path.of(name) : path.getParent().resolve(name);
        byte[] bytes = readOrNull(p);
        read.put(p, bytes);
        if (bytes == null) {
            throw new WebConfigException(field + file + ": cannot read " + p);
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static String version(Map<String, Object> t, String key, String defaultValue) throws WebConfigException {
        String v = str(t, key, "tls_server_config.");
        if (v.isEmpty()) {
            return defaultValue;
        }
        if (!TlsSettings.VERSIONS.contains(v)) {
            throw new WebConfigException("tls_server_config." + key + ": unknown TLS version " + v + " (TLS10, TLS11, TLS12, TLS13)");
        }
        return v;
    }

    private static List<String[]> headers(Map<String, Object> h) throws WebConfigException {
        List<String[]> headers = new ArrayList<>();
        for (Map.Entry<String, Object> e : h.entrySet()) {
            List<String> allowed = HEADERS.get(e.getKey());
            if (allowed == null) {
                throw new WebConfigException("http_server_config.headers: HTTP header \"" + e.getKey() + "\" can not be configured");
            }
            String value = string(e.getValue(), "http_server_config.headers." + e.getKey());
            if (!allowed.isEmpty() && !allowed.contains(value)) {
                throw new WebConfigException("http_server_config.headers: invalid value for " + e.getKey()
                        + ". Expected one of: " + allowed + ", but got: \"" + value + "\"");
            }
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new WebConfigException("http_server_config.headers." + e.getKey() + " holds a line break");
            }
            if (!value.isEmpty()) { // "unset if blank"
                headers.add(new String[] {e.getKey(), value});
            }
        }
        return List.copyOf(headers);
    }

    private static RateLimit rateLimit(Map<String, Object> r) throws WebConfigException {
        Object interval = r.get("interval");
        Duration d = interval == null ? Duration.ZERO : goDuration(string(interval, "rate_limit.interval"));
        if (d.isZero()) {
            return null; // the toolkit: an interval of 0 turns the limiter off
        }
        Object burst = r.get("burst");
        if (!(burst instanceof Integer) || (Integer) burst < 1) {
            throw new WebConfigException("rate_limit.burst must be a whole number of at least 1 when rate_limit.interval is set");
        }
        return new RateLimit(d, (Integer) burst);
    }

    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    /** A Go duration: {@code 100ms}, {@code 1s}, {@code 1m30s}. */
    static Duration goDuration(String text) throws WebConfigException {
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = GO_DURATION_PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long unit;
            switch (m.group(2)) {
                case "ns": unit = 1; break;
                case "us": case "µs": unit = 1_000; break;
                case "ms": unit = 1_000_000; break;
                case "s": unit = 1_000_000_000; break;
                case "m": unit = 60_000_000_000L; break;
                default: unit = 3_600_000_000_000L;
            }
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
            end = m.end();
        }
        if (end == 0 || end != s.length()) {
            throw new WebConfigException("rate_limit.interval: '" + text + "' is not a duration such as 100ms, 1s or 1m30s");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(Object value, String field, Set<String> known) throws WebConfigException {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new WebConfigException(field + " must be a mapping");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : ((Map<Object, Object>) value).entrySet()) {
            String key = String.valueOf(e.getKey());
            if (known != null && !known.contains(key)) {
                throw new WebConfigException(("the file".equals(field) ? "" : field + ": ") + "unknown field '" + key + "'");
            }
            map.put(key, e.getValue());
        }
        return map;
    }

    private static String str(Map<String, Object> map, String key, String prefix) throws WebConfigException {
        Object v = map.get(key);
        return v == null ? "" : string(v, prefix + key);
    }

    private static String string(Object v, String field) throws WebConfigException {
        if (v instanceof Map || v instanceof List) {
            throw new WebConfigException(field + " must be a string");
        }
        return v == null ? "" : String.valueOf(v);
    }

    private static boolean bool(Map<String, Object> map, String key, String prefix, boolean defaultValue) throws WebConfigException {
        Object v = map.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof Boolean)) {
            throw new WebConfigException(prefix + "." + key + " must be true or false");
        }
        return (Boolean) v;
    }

    private static List<String> list(Map<String, Object> map, String key, String prefix) throws WebConfigException {
        Object v = map.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List)) {
            throw new WebConfigException(prefix + key + " must be a list");
        }
        List<String> items = new ArrayList<>();
        for (Object item : (List<?>) v) {
            items.add(string(item, prefix + key));
        }
        return items;
    }

    private static byte[] readOrNull(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException gone) {
            return null;
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "parse error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}

package dev.coderd.metrics.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's configuration: immutable, validated once, every bad value replaced by its default with one
 * line that names the key, the value, where it came from and what is expected.
 *
 * <pre>
 * AgentConfig config = AgentConfig.load(agentArgs, System.getProperties(), System.getenv());
 * config.problems().forEach(AgentLog::warn);
 * int port = config.port();
 * </pre>
 */
public final class AgentConfig {
    /** Coder's own setting for the Prometheus listener, {@code host:port}; our own keys win over it. */
    static final String CODER_PROMETHEUS_ADDRESS = "CODER_PROMETHEUS_ADDRESS";

    private final boolean enabled;
    private final String address;
    private final int port;
    private final Duration bindRetry;
    private final List<String> include;
    private final List<String> exclude;
    private final int seriesLimit;
    private final List<String> routeTemplates;
    private final boolean servlet;
    private final boolean springMvc;
    private final boolean jdkHttpServer;
    private final List<String> problems;

    private AgentConfig(Parser p) {
        enabled = p.bool(ConfigKey.ENABLED);
        bindRetry = p.duration(ConfigKey.BIND_RETRY);
        include = p.list(ConfigKey.INCLUDE);
        exclude = p.list(ConfigKey.EXCLUDE);
        seriesLimit = p.positiveInt(ConfigKey.SERIES_LIMIT);
        routeTemplates = p.routes(ConfigKey.HTTP_ROUTES);
        servlet = p.bool(ConfigKey.SERVLET);
        springMvc = p.bool(ConfigKey.SPRING_MVC);
        jdkHttpServer = p.bool(ConfigKey.JDK_HTTPSERVER);
        String[] coderAddress = p.coderAddress();
        address = p.sources.get(ConfigKey.ADDRESS) == null && coderAddress != null
                ? coderAddress[0] : p.string(ConfigKey.ADDRESS);
        port = p.sources.get(ConfigKey.PORT) == null && coderAddress != null
                ? Integer.parseInt(coderAddress[1]) : p.port(ConfigKey.PORT);
        problems = Collections.unmodifiableList(p.problems);
    }

    public static AgentConfig load(String agentArgs, Properties properties, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        ConfigSources sources = ConfigSources.read(agentArgs, properties, env, problems);
        return new AgentConfig(new Parser(sources, env, problems));
    }

    public static AgentConfig defaults() {
        return load(null, new Properties(), Map.of());
    }

    public boolean enabled() { return enabled; }
    public String address() { return address; }
    public int port() { return port; }
    public Duration bindRetry() { return bindRetry; }
    public List<String> include() { return include; }
    public List<String> exclude() { return exclude; }
    public int seriesLimit() { return seriesLimit; }
    public List<String> routeTemplates() { return routeTemplates; }
    public boolean servletEnabled() { return servlet; }
    public boolean springMvcEnabled() { return springMvc; }
    public boolean jdkHttpServerEnabled() { return jdkHttpServer; }

    /** One line per bad or unknown setting, ready to log. */
    public List<String> problems() { return problems; }

    /** Turns raw text into typed values; a bad value records a problem and yields the key's default. */
    private static final class Parser {
        final ConfigSources sources;
        final Map<String, String> env;
        final List<String> problems;

        Parser(ConfigSources sources, Map<String, String> env, List<String> problems) {
            this.sources = sources;
            this.env = env;
            this.problems = problems;
        }

        private String text(ConfigKey key) {
            ConfigSources.Raw raw = sources.get(key);
            return raw == null ? key.defaultValue() : raw.value().trim();
        }

        private void reject(ConfigKey key, String detail) {
            ConfigSources.Raw raw = sources.get(key);
            problems.add("config: " + key.propertyName() + "='" + raw.value() + "' (" + raw.source()
                    + ") is not valid: expected " + (detail != null ? detail : key.kind().expected)
                    + "; using the default '" + key.defaultValue() + "'");
        }

        boolean bool(ConfigKey key) {
            String s = text(key).toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("false")) {
                return s.equals("true");
            }
            reject(key, null);
            return Boolean.parseBoolean(key.defaultValue());
        }

        int port(ConfigKey key) {
            try {
                int port = Integer.parseInt(text(key));
                if (port >= 1 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            reject(key, null);
            return Integer.parseInt(key.defaultValue());
        }

        int positiveInt(ConfigKey key) {
            try {
                int n = Integer.parseInt(text(key));
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            reject(key, null);
            return Integer.parseInt(key.defaultValue());
        }

        Duration duration(ConfigKey key) {
            try {
                Duration d = Durations.parse(text(key));
                if (!d.isZero()) {
                    return d;
                }
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
            reject(key, null);
            return Durations.parse(key.defaultValue());
        }

        String string(ConfigKey key) {
            return text(key);
        }

        List<String> list(ConfigKey key) {
            List<String> items = new ArrayList<>();
            for (String item : text(key).split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
            return Collections.unmodifiableList(items);
        }

        List<String> routes(ConfigKey key) {
            List<String> routes = list(key);
            for (String route : routes) {
                String problem = RouteSyntax.check(route);
                if (problem != null) {
                    reject(key, key.kind().expected + " ('" + route + "' " + problem + ")");
                    return List.of();
                }
            }
            return routes;
        }

        /** {@code CODER_PROMETHEUS_ADDRESS=host:port} as {host, port}, or null when absent or invalid. */
        String[] coderAddress() {
            String value = env.get(CODER_PROMETHEUS_ADDRESS);
            if (value == null || value.isBlank()) {
                return null;
            }
            int colon = value.lastIndexOf(':');
            if (colon >= 0) {
                String host = value.substring(0, colon).trim();
                try {
                    int port = Integer.parseInt(value.substring(colon + 1).trim());
                    if (port >= 1 && port <= 65535) {
                        return new String[] {host.isEmpty() ? "0.0.0.0" : host, Integer.toString(port)};
                    }
                } catch (NumberFormatException ignored) {
                    // reported below
                }
            }
            problems.add("config: " + CODER_PROMETHEUS_ADDRESS + "='" + value
                    + "' is not valid: expected host:port such as 0.0.0.0:2112; ignored");
            return null;
        }
    }
}

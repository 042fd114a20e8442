package dev.coderd.metrics.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's configuration: immutable, validated once against the declared {@link ConfigKey}s, every bad
 * value replaced by its default with one line that names the key, the value, where it came from and what
 * is expected.
 *
 * <pre>
 * AgentConfig config = AgentConfig.load(agentArgs, System.getProperties(), System.getenv(), keys);
 * config.problems().forEach(AgentLog::warn);
 * List&lt;String&gt; routes = config.get(HttpKeys.ROUTES);
 * </pre>
 */
public final class AgentConfig {
    /** Coder's own setting for the Prometheus listener, {@code host:port}; our own keys win over it. */
    static final String CODER_PROMETHEUS_ADDRESS = "CODER_PROMETHEUS_ADDRESS";

    private final Map<ConfigKey<?>, Object> values = new IdentityHashMap<>();
    private final List<String> problems;
    private final String address;
    private final int port;

    private AgentConfig(ConfigSources sources, List<ConfigKey<?>> keys, Map<String, String> env, List<String> problems) {
        for (ConfigKey<?> key : keys) {
            values.put(key, parse(sources, key, problems));
        }
        String[] coderAddress = coderAddress(env.get(CODER_PROMETHEUS_ADDRESS), problems);
        address = sources.get(CoreKeys.ADDRESS) == null && coderAddress != null ? coderAddress[0] : get(CoreKeys.ADDRESS);
        port = sources.get(CoreKeys.PORT) == null && coderAddress != null
                ? Integer.parseInt(coderAddress[1]) : get(CoreKeys.PORT);
        this.problems = Collections.unmodifiableList(problems);
    }

    /** Reads {@code keys} (at least {@link CoreKeys#ALL}) from the four sources; never throws on bad input. */
    public static AgentConfig load(String agentArgs, Properties properties, Map<String, String> env, List<ConfigKey<?>> keys) {
        List<String> problems = new ArrayList<>();
        ConfigSources sources = ConfigSources.read(agentArgs, properties, env, keys, problems);
        return new AgentConfig(sources, keys, env, problems);
    }

    /** The value of a declared key. */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        Object value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException(key + " was not declared to the configuration");
        }
        return (T) value;
    }

    public boolean enabled() { return get(CoreKeys.ENABLED); }
    public boolean force() { return get(CoreKeys.FORCE); }
    public String address() { return address; }
    public int port() { return port; }
    public Duration bindRetry() { return get(CoreKeys.BIND_RETRY); }
    public List<String> include() { return get(CoreKeys.INCLUDE); }
    public List<String> exclude() { return get(CoreKeys.EXCLUDE); }
    public int seriesLimit() { return get(CoreKeys.SERIES_LIMIT); }

    /** One line per bad or unknown setting, ready to log. */
    public List<String> problems() { return problems; }

    private static <T> T parse(ConfigSources sources, ConfigKey<T> key, List<String> problems) {
        ConfigSources.Raw raw = sources.get(key);
        if (raw != null) {
            try {
                return key.type().parser.parse(raw.value().trim());
            } catch (RuntimeException e) {
                String detail = e.getMessage() == null || e instanceof NumberFormatException
                        ? "" : " (" + e.getMessage() + ")";
                problems.add("config: " + key.propertyName() + "='" + raw.value() + "' (" + raw.source()
                        + ") is not valid: expected " + key.expected() + detail
                        + "; using the default '" + key.defaultText() + "'");
            }
        }
        return key.type().parser.parse(key.defaultText());
    }

    /** {@code CODER_PROMETHEUS_ADDRESS=host:port} as {host, port}, or null when absent or invalid. */
    private static String[] coderAddress(String value, List<String> problems) {
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

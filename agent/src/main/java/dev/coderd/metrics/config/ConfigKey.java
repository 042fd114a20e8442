package dev.coderd.metrics.config;

import java.util.Locale;

/**
 * Every configuration key of the agent, with its default and what it means. The README's table is this enum.
 *
 * <p>One name scheme across sources: the agent argument {@code port=9100} (or {@code coderd.metrics.port}),
 * the system property {@code coderd.metrics.port}, the environment variable {@code CODERD_METRICS_PORT},
 * the YAML key {@code port}.
 */
public enum ConfigKey {
    ENABLED("enabled", Kind.BOOLEAN, "true"),
    FORCE("force", Kind.BOOLEAN, "false"),
    ADDRESS("address", Kind.STRING, "0.0.0.0"),
    PORT("port", Kind.PORT, "2112"),
    BIND_RETRY("bind-retry", Kind.DURATION, "5s"),
    CONFIG_FILE("config", Kind.STRING, ""),
    INCLUDE("include", Kind.LIST, ""),
    EXCLUDE("exclude", Kind.LIST, ""),
    SERIES_LIMIT("series-limit", Kind.POSITIVE_INT, "2000"),
    HTTP_ROUTES("http.routes", Kind.ROUTES, ""),
    SERVLET("instrumentation.servlet.enabled", Kind.BOOLEAN, "true"),
    SPRING_MVC("instrumentation.spring-mvc.enabled", Kind.BOOLEAN, "true"),
    JDK_HTTPSERVER("instrumentation.jdk-httpserver.enabled", Kind.BOOLEAN, "true");

    static final String PREFIX = "coderd.metrics.";

    private final String shortName;
    private final Kind kind;
    private final String defaultValue;

    ConfigKey(String shortName, Kind kind, String defaultValue) {
        this.shortName = shortName;
        this.kind = kind;
        this.defaultValue = defaultValue;
    }

    /** The name in agent arguments and YAML: {@code port}. */
    public String shortName() {
        return shortName;
    }

    /** The system property: {@code coderd.metrics.port}. */
    public String propertyName() {
        return PREFIX + shortName;
    }

    /** The environment variable: {@code CODERD_METRICS_PORT}. */
    public String envName() {
        return propertyName().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    Kind kind() {
        return kind;
    }

    String defaultValue() {
        return defaultValue;
    }

    static ConfigKey byName(String name) {
        String shortName = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
        for (ConfigKey key : values()) {
            if (key.shortName.equals(shortName)) {
                return key;
            }
        }
        return null;
    }

    enum Kind {
        BOOLEAN("true or false"),
        PORT("a port number from 1 to 65535"),
        POSITIVE_INT("a whole number of at least 1"),
        DURATION("a duration such as 500ms, 5s, 2m or 1h"),
        STRING("text"),
        LIST("a comma-separated list"),
        ROUTES("comma-separated route templates starting with '/', '{name}' for one segment, a trailing '*' for the rest");

        final String expected;

        Kind(String expected) {
            this.expected = expected;
        }
    }
}

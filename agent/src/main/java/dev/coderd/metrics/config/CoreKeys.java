package dev.coderd.metrics.config;

import java.time.Duration;
import java.util.List;

/** The agent's own keys: whether and where it runs, its listener, its limits. Each concern declares the rest. */
public final class CoreKeys {
    public static final ConfigKey<Boolean> ENABLED = ConfigKey.bool("enabled", true,
            "Kill switch: `false` leaves the JVM exactly as it would be without the agent (one log line).");
    public static final ConfigKey<Boolean> FORCE = ConfigKey.bool("force", false,
            "Run even in JDK tools and JVMs without a main class, which are otherwise skipped silently.");
    public static final ConfigKey<String> ADDRESS = ConfigKey.string("address", "0.0.0.0",
            "Address the listener binds.");
    public static final ConfigKey<Integer> PORT = ConfigKey.port("port", 2112,
            "Port of the listener (`/metrics`, `/-/healthy`).");
    public static final ConfigKey<Duration> BIND_RETRY = ConfigKey.duration("bind-retry", "5s",
            "How often to retry binding while the port is taken (`500ms`, `5s`, `2m`).");
    public static final ConfigKey<String> CONFIG_FILE = ConfigKey.string("config", "",
            "A YAML file with any of these keys.");
    public static final ConfigKey<List<String>> INCLUDE = ConfigKey.list("include", "",
            "Main classes or jars (globs with `*`, a jar also by its file name) the agent runs in; empty: all.");
    public static final ConfigKey<List<String>> EXCLUDE = ConfigKey.list("exclude", "",
            "Main classes or jars the agent stays out of, silently.");
    public static final ConfigKey<Integer> SERIES_LIMIT = ConfigKey.positiveInt("series-limit", 2000,
            "Distinct label sets per metric family; more go to one `OTHER` series.");

    public static final List<ConfigKey<?>> ALL = List.of(
            ENABLED, FORCE, ADDRESS, PORT, BIND_RETRY, CONFIG_FILE, INCLUDE, EXCLUDE, SERIES_LIMIT);

    private CoreKeys() {}
}

package dev.coderd.metrics.exporter;

import dev.coderd.metrics.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/** The listener's keys: its limits, and the web-config file that turns on TLS and basic auth. */
public final class ListenerKeys {
    public static final ConfigKey<String> WEB_CONFIG = ConfigKey.string("web-config", "",
            "A web-config file in the Prometheus exporter-toolkit format (`tls_server_config`, `basic_auth_users`, "
                    + "`http_server_config.headers`, `rate_limit`), re-read when it changes; see \"Securing the listener\".");
    public static final ConfigKey<Duration> HEAD_TIMEOUT = ConfigKey.duration("listener.head-timeout", "5s",
            "Time a client has for a whole request head (and the TLS handshake), from its first byte; then 408.");
    public static final ConfigKey<Duration> IDLE_TIMEOUT = ConfigKey.duration("listener.idle-timeout", "60s",
            "How long a connection may stay open with no request in progress.");
    public static final ConfigKey<Integer> MAX_CONNECTIONS = ConfigKey.positiveInt("listener.max-connections", 1000,
            "Open connections at most; past it the oldest idle one is closed, or the newcomer gets 503 when none is idle.");

    public static final List<ConfigKey<?>> ALL = List.of(WEB_CONFIG, HEAD_TIMEOUT, IDLE_TIMEOUT, MAX_CONNECTIONS);

    private ListenerKeys() {}
}

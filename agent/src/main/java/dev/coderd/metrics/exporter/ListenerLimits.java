package dev.coderd.metrics.exporter;

import dev.coderd.metrics.config.AgentConfig;
import java.time.Duration;

/** The listener's configurable limits; see {@link ListenerKeys}. */
record ListenerLimits(Duration headTimeout, Duration idleTimeout, int maxConnections) {
    static ListenerLimits of(AgentConfig config) {
        return new ListenerLimits(config.get(ListenerKeys.HEAD_TIMEOUT), config.get(ListenerKeys.IDLE_TIMEOUT),
                config.get(ListenerKeys.MAX_CONNECTIONS));
    }
}

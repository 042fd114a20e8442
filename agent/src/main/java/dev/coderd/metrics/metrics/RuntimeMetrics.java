package dev.coderd.metrics.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;

/**
 * {@code jvm_*} and {@code process_*}, from the Prometheus client's JVM instrumentation. They stand in for
 * Go's runtime families, which have no honest JVM meaning (see the README's mapping).
 *
 * <p>Registered on the first scrape, never in premain: these collectors use JMX, and JMX initialises
 * {@code java.util.logging}, which must wait until the application's {@code main} has configured it.
 */
public final class RuntimeMetrics {
    private final AgentRegistry registry;
    private volatile boolean registered;

    public RuntimeMetrics(AgentRegistry registry) {
        this.registry = registry;
    }

    public void registerOnce() {
        if (!registered) {
            synchronized (this) {
                if (!registered) {
                    JvmMetrics.builder(registry.properties()).register(registry.registry());
                    registered = true;
                }
            }
        }
    }
}

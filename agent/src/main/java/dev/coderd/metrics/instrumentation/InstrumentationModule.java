package dev.coderd.metrics.instrumentation;

import dev.coderd.metrics.config.AgentConfig;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * One instrumentation: which types and methods it matches and which advice it weaves there. Its name is its
 * {@code instrumentation} label in {@code coderd_metrics_agent_*} and its configuration switch
 * ({@code coderd.metrics.instrumentation.<name>.enabled}).
 */
public interface InstrumentationModule {
    String name();

    boolean enabled(AgentConfig config);

    AgentBuilder extend(AgentBuilder builder, AdviceSupport advice);
}

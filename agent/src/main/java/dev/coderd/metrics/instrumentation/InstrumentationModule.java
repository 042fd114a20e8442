package dev.coderd.metrics.instrumentation;

import dev.coderd.metrics.config.ConfigKey;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * One instrumentation: which types and methods it matches and which advice it weaves there. Its name is its
 * {@code instrumentation} label in {@code coderd_metrics_agent_*} and its configuration switch
 * ({@code coderd.metrics.instrumentation.<name>.enabled}).
 */
public interface InstrumentationModule {
    String name();

    /** {@code instrumentation.<name>.enabled}, declared with {@link ConfigKey#instrumentationSwitch}. */
    ConfigKey<Boolean> switchKey();

    /** Every key this instrumentation reads: its switch and any of its own. */
    default List<ConfigKey<?>> configKeys() {
        return List.of(switchKey());
    }

    /**
     * Text that the class file of every type this instrumentation transforms contains (a class name or a
     * descriptor fragment from its constant pool); classes without any module's markers skip Byte Buddy.
     */
    List<String> classFileMarkers();

    AgentBuilder extend(AgentBuilder builder, AdviceSupport advice);

    /**
     * JDK classes (internal names) this instrumentation transforms whose instances, made before the agent is
     * installed, would go unmeasured for good (the JDK server's contexts get their filter when created): the
     * {@link ClassLoadGate} holds them like application classes. Other JDK classes (the executors) are
     * retransformed once the agent is installed.
     */
    default List<String> jdkTypesToHold() {
        return List.of();
    }
}

package dev.coderd.metrics.core;

import dev.coderd.metrics.config.AgentConfig;
import dev.coderd.metrics.config.MainFilter;
import dev.coderd.metrics.log.AgentLog;
import java.lang.instrument.Instrumentation;

/**
 * The agent core's entry point, called once from premain through the agent's own class loader. Order:
 * configuration → the decision to run (before anything touches the JVM; premain already left AOT training runs alone) →
 * the bridge in the bootstrap loader → {@link AgentRuntime}: registry → recorders → hooks → listener →
 * instrumentations. Each step after the decision fails alone: a
 * listener that cannot start leaves the instrumentation working, and the reverse.
 */
public final class AgentCore {
    private AgentCore() {}

    /**
     * @param version        the jar manifest's {@code Implementation-Version}, as premain's loader read it
     * @param skipUnlessForced premain found a JDK tool or a JVM without a main class: run only if {@code force}
     * @param unusedCache    non-null when an AOT cache was asked for and does not load: what to do about it
     * @param bootPath       gives the bridge classes to the bootstrap loader; run only once the agent runs
     */
    public static void start(Instrumentation inst, String agentArgs, String version, boolean skipUnlessForced,
                             String unusedCache, Runnable bootPath) {
        AgentConfig config = AgentConfig.load(agentArgs, System.getProperties(), System.getenv(), AgentKeys.all());
        if (skipUnlessForced && !config.force()) {
            return; // a JDK tool or no application: silent, whatever else is configured
        }
        config.problems().forEach(AgentLog::warn);
        if (!config.enabled()) {
            AgentLog.info("disabled (coderd.metrics.enabled=false); the application runs without the agent");
            return;
        }
        if (!MainFilter.allows(config.include(), config.exclude(), System.getProperty("sun.java.command"))) {
            return; // not this JVM: the allow or deny list says so, and it stays silent like a JDK tool
        }
        if (unusedCache != null) {
            AgentLog.warn(unusedCache);
        }
        bootPath.run();
        Starting.start(inst, config, version);
    }
}

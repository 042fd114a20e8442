package dev.coderd.metrics.core;

import dev.coderd.metrics.bridge.AgentThread;
import dev.coderd.metrics.config.AgentConfig;
import dev.coderd.metrics.instrumentation.AgentInstaller;
import dev.coderd.metrics.instrumentation.ClassFileMarkers;
import dev.coderd.metrics.instrumentation.ClassLoadGate;
import dev.coderd.metrics.log.AgentLog;
import dev.coderd.metrics.instrumentation.InstrumentationModule;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Set;

/**
 * Starts {@link AgentRuntime} off premain's critical path when that is safe, on premain's thread when not.
 *
 * <p>Beside the application (the usual case): a {@link ClassLoadGate} holds any class an instrumentation
 * transforms until the installation is done, and premain returns at once; the application's start-up then
 * pays only for the decision and the bridge; the JDK's executors, loaded long before, are retransformed after
 * the installation. On premain's thread: when a class the gate would hold is already loaded (a class-data
 * archive preloads them; a runtime attach finds them in use), its instances may already be serving, so the
 * agent is installed before the application goes on.
 *
 * <p>A class of its own, like {@link AgentRuntime}: it links the bridge ({@link AgentThread}), which exists
 * only once {@link AgentCore} has decided to run.
 */
final class Starting {
    private Starting() {}

    static void start(Instrumentation inst, AgentConfig config, String version) {
        List<InstrumentationModule> enabled = AgentInstaller.enabled(config, Instrumentations.all());
        ClassFileMarkers markers = ClassFileMarkers.of(enabled);
        if (heldTypeLoaded(inst, markers, ClassLoadGate.heldJdkTypes(enabled))) {
            AgentRuntime.start(inst, config, version, ClassLoadGate.OPEN);
            return;
        }
        ClassLoadGate gate = ClassLoadGate.register(inst, markers, enabled);
        AgentThread.daemon(() -> {
            try {
                AgentRuntime.start(inst, config, version, gate);
            } catch (Throwable t) {
                AgentLog.error("the agent could not start; the application runs without metrics", t);
            } finally {
                gate.open();
            }
        }, "coderd-metrics-start").start();
    }

    /** Whether a class the gate would hold is loaded already: an application class named by a marker, or a held JDK class. */
    private static boolean heldTypeLoaded(Instrumentation inst, ClassFileMarkers markers, Set<String> heldJdkTypes) {
        for (Class<?> loaded : inst.getAllLoadedClasses()) {
            String name = loaded.getName().replace('.', '/');
            if (ClassLoadGate.isJdkLoader(loaded.getClassLoader())
                    ? heldJdkTypes.contains(name) : markers.mentionedInName(name)) {
                return true;
            }
        }
        return false;
    }
}

package dev.coderd.metrics.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.any;

import dev.coderd.metrics.bridge.AgentBridge;
import dev.coderd.metrics.config.AgentConfig;
import dev.coderd.metrics.log.AgentLog;
import dev.coderd.metrics.metrics.HealthMetrics;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs every enabled {@link InstrumentationModule} with one Byte Buddy {@link AgentBuilder}: no
 * class-format changes (so that loaded classes can be retransformed: a runtime attach, an archive's preloaded
 * classes), decoration rather than rebasing, our own ignore rules, and read edges from instrumented JDK
 * modules to the bridge.
 */
public final class AgentInstaller {
    private static final int LOGGED_ERRORS = 5;

    private AgentInstaller() {}

    /** The modules whose switch is on. */
    public static List<InstrumentationModule> enabled(AgentConfig config, List<InstrumentationModule> modules) {
        return modules.stream().filter(m -> config.get(m.switchKey())).toList();
    }

    /**
     * Installs the enabled modules, then opens {@code gate} whatever happened (classes it holds go on, to
     * Byte Buddy's transformer or, if the installation failed, as they are).
     */
    public static void install(Instrumentation inst, AgentConfig config, List<InstrumentationModule> modules,
                               HealthMetrics health, ClassLoadGate gate) {
        try {
            installModules(inst, enabled(config, modules), health, gate.heldEveryInstrumentedClass()
                    ? new LoadedJdkClasses(gate.heldJdkModules()) : AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE);
        } finally {
            gate.open(); // installed or failed: nothing waits any longer
        }
    }

    private static void installModules(Instrumentation inst, List<InstrumentationModule> enabled, HealthMetrics health,
                                       AgentBuilder.RedefinitionStrategy.DiscoveryStrategy loadedClasses) {
        AgentBuilder builder = newAgentBuilder()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                // describing the loaded classes loads more (ForkJoinPool, CompletableFuture's stages) while the
                // installation holds Byte Buddy's circularity lock: look again until no new class turns up
                .with(loadedClasses)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new TypePoolCache())
                .with(new ErrorLog())
                .assureReadEdgeTo(inst, AgentBridge.class) // every bridge shares its unnamed module
                .ignore(IgnoredTypes.types())
                .or(any(), IgnoredTypes.loaders());
        AdviceSupport advice = new AdviceSupport(health.instrumentedTypes);
        for (InstrumentationModule module : enabled) {
            builder = module.extend(builder, advice);
        }
        ClassFileMarkers markers = ClassFileMarkers.of(enabled);
        builder = builder.with(transformer -> new ClassFilePrefilter(transformer, markers));
        AgentBridge.install(new AdviceErrors(health)::report);
        builder.installOn(inst);
    }

    /**
     * The loaded classes to retransform when the {@link ClassLoadGate} held every application class an
     * instrumentation transforms: only the JDK's own (its executors, loaded long before premain). Reflecting on
     * an application class could need a class another thread is loading and the gate holds, a deadlock;
     * a JDK class never refers to an application class. For the same reason the modules of the JDK classes the
     * gate holds are left out (describing {@code HttpServerImpl} needs {@code ServerImpl}). Looked at again
     * until no new class turns up.
     */
    private static final class LoadedJdkClasses implements AgentBuilder.RedefinitionStrategy.DiscoveryStrategy {
        private final java.util.Set<Module> held;

        LoadedJdkClasses(java.util.Set<Module> held) {
            this.held = held;
        }

        @Override
        public Iterable<Iterable<Class<?>>> resolve(Instrumentation inst) {
            Iterable<Iterable<Class<?>>> batches = AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE.resolve(inst);
            return () -> {
                java.util.Iterator<Iterable<Class<?>>> each = batches.iterator();
                return new java.util.Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return each.hasNext();
                    }

                    @Override
                    public Iterable<Class<?>> next() {
                        List<Class<?>> jdk = new java.util.ArrayList<>();
                        for (Class<?> type : each.next()) {
                            if (ClassLoadGate.isJdkLoader(type.getClassLoader()) && !held.contains(type.getModule())) {
                                jdk.add(type);
                            }
                        }
                        return jdk;
                    }
                };
            };
        }
    }

    /**
     * {@code new AgentBuilder.Default()} prepares Byte Buddy's "nexus" (self-injection of initialisers), which
     * reaches for {@code sun.misc.Unsafe}; from Java 24 on that prints a four-line warning on the host's
     * standard error. The agent needs no nexus (it uses {@code InitializationStrategy.NoOp}), so it is switched
     * off while the builder is made. The property name is the relocated copy's own, read once in a static
     * initialiser, and removed again right after: nothing of the host's configuration changes.
     */
    private static AgentBuilder newAgentBuilder() {
        String key = ByteBuddy.class.getPackageName() + ".nexus.disabled";
        String previous = System.getProperty(key);
        System.setProperty(key, "true");
        try {
            return new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED));
        } finally {
            if (previous == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, previous);
            }
        }
    }

    /** A type that could not be transformed is left as it was; the first few are logged. */
    private static final class ErrorLog extends AgentBuilder.Listener.Adapter {
        private final AtomicInteger logged = new AtomicInteger();

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            if (logged.incrementAndGet() <= LOGGED_ERRORS) {
                AgentLog.warn("could not instrument " + typeName + ", it runs unchanged: " + error);
            }
        }
    }

    /** Counts advice exceptions by instrumentation and logs the first of each. */
    private static final class AdviceErrors {
        private final HealthMetrics health;
        private final Set<String> logged = ConcurrentHashMap.newKeySet();

        AdviceErrors(HealthMetrics health) {
            this.health = health;
        }

        void report(Throwable error, String instrumentation) {
            health.adviceErrors.labelValues(instrumentation).inc();
            if (logged.add(instrumentation)) {
                AgentLog.warn("advice of instrumentation '" + instrumentation
                        + "' failed and was skipped (further failures are only counted): " + error);
            }
        }
    }
}

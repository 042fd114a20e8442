package dev.coderd.metrics.instrumentation;

import dev.coderd.metrics.bridge.AgentThread;
import dev.coderd.metrics.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.concurrent.CountDownLatch;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lets premain return before Byte Buddy is installed without letting an instrumented class slip through.
 *
 * <pre>
 * ClassLoadGate gate = ClassLoadGate.register(inst, markers);   // premain: cheap, JDK types only
 * ... on a background thread: registry, recorders, hooks, then AgentInstaller.install(..., gate) opens it
 * </pre>
 *
 * <p>Installing Byte Buddy is most of the agent's start-up cost (loading and verifying some 800 classes).
 * The application's own start-up rarely needs an instrumented class in its first few hundred milliseconds, so
 * the installation runs beside it. Until it is done, a class whose bytes carry an instrumentation's marker
 * (a servlet, the JDK server, Spring's dispatcher) waits here, then goes on to Byte Buddy's transformer: no
 * class is left uninstrumented and no request is missed, because a request cannot be served before its
 * classes are loaded. Every other class passes at the cost of a byte scan. The agent's own threads and
 * loader never wait (the installation must not wait for itself).
 *
 * <p>Why waiting is enough: the gate is a retransformation-incapable transformer, and the JVM runs those
 * before the retransformation-capable ones (the {@code ClassFileTransformer} contract), each kind from the
 * list registered when the JVM calls it. Byte Buddy's transformer (retransformation-capable) is registered
 * before the gate opens, so a class held here reaches it next. Classes loaded before the gate existed are
 * retransformed by Byte Buddy's installation as before.
 */
public final class ClassLoadGate implements ClassFileTransformer {
    /** For a JVM that installs synchronously (runtime attach, classes already loaded): never waits. */
    public static final ClassLoadGate OPEN = new ClassLoadGate(null, java.util.Set.of(), null);

    private static final long MAX_WAIT_SECONDS = 30;

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private final ClassFileMarkers markers;
    private final java.util.Set<String> heldJdkTypes;
    private final Instrumentation inst;
    private final ClassLoader agentLoader = ClassLoadGate.class.getClassLoader();
    private final CountDownLatch opened = new CountDownLatch(1);

    private ClassLoadGate(ClassFileMarkers markers, java.util.Set<String> heldJdkTypes, Instrumentation inst) {
        this.markers = markers;
        this.heldJdkTypes = heldJdkTypes;
        this.inst = inst;
        if (markers == null) {
            opened.countDown();
        }
    }

    /** Registers a closed gate: from now on, marked classes wait until {@link #open}. */
    public static ClassLoadGate register(Instrumentation inst, ClassFileMarkers markers, List<InstrumentationModule> enabled) {
        ClassLoadGate gate = new ClassLoadGate(markers, heldJdkTypes(enabled), inst);
        inst.addTransformer(gate, false);
        return gate;
    }

    /** The JDK classes the gate holds (see {@link InstrumentationModule#jdkTypesToHold()}), internal names. */
    public static java.util.Set<String> heldJdkTypes(List<InstrumentationModule> enabled) {
        java.util.Set<String> held = new java.util.HashSet<>();
        enabled.forEach(m -> held.addAll(m.jdkTypesToHold()));
        return held;
    }

    /** The JDK modules of the classes this gate holds: the installation must not describe their classes. */
    java.util.Set<Module> heldJdkModules() {
        java.util.Set<Module> modules = new java.util.HashSet<>();
        for (String type : heldJdkTypes) {
            String pkg = type.substring(0, type.lastIndexOf('/')).replace('/', '.');
            ModuleLayer.boot().modules().stream().filter(m -> m.getPackages().contains(pkg)).forEach(modules::add);
        }
        return modules;
    }

    /** The bootstrap or platform loader: the JDK's own classes. */
    public static boolean isJdkLoader(ClassLoader loader) {
        return loader == null || loader == PLATFORM;
    }

    /**
     * True for a registered gate: it was registered while no application class an instrumentation transforms
     * was loaded, and it held every such class loaded since, so the installation retransforms only the JDK's
     * loaded classes. (Reflecting on application classes could need a class another thread is loading and
     * this gate holds: a deadlock.) False for {@link #OPEN}.
     */
    public boolean heldEveryInstrumentedClass() {
        return markers != null;
    }

    /** Byte Buddy's transformer is registered (or its installation failed): held classes go on. */
    public void open() {
        opened.countDown();
        if (inst != null) {
            inst.removeTransformer(this); // loads already under way keep calling it, and it still serves them
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                            byte[] bytes) {
        if (markers == null || redefined != null || loader == agentLoader || AgentThread.current()
                || (isJdkLoader(loader) && !heldJdkTypes.contains(name)) || !markers.mentionedIn(bytes)) {
            return null; // the JDK's executors, say: retransformed after the installation instead
        }
        try {
            if (!opened.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
                AgentLog.warn(name + " loaded before the instrumentation was ready (waited " + MAX_WAIT_SECONDS
                        + " s); it runs unmeasured");
                return null;
            }
            return null; // on to the retransformation-capable transformers, Byte Buddy's among them
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

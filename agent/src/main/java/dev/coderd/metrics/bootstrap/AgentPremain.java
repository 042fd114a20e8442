package dev.coderd.metrics.bootstrap;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.jar.JarFile;

/**
 * The {@code Premain-Class} and {@code Agent-Class}: loaded by the system class loader, it does as little as
 * it can and never lets anything escape.
 *
 * <pre>
 * java -javaagent:coderd-metrics-agent.jar[=port=9100,http.routes=/api/v2/files/*] -jar service.jar
 * </pre>
 *
 * <p>It skips JDK tools and JVMs without an application ({@link LaunchGate}), notes whether the JVM trains
 * or uses a class-data archive ({@link ClassDataArchives}) and hands over to the agent core, which lives in
 * its own {@link CoreClassLoader}, reads the whole configuration and only then, if it is to run, gives the
 * bridge classes to the bootstrap loader ({@link BridgeDefiner}) so that every loader sees them. Nothing here may touch logging, JMX or DNS: the host has not run its own
 * {@code main} yet.
 */
public final class AgentPremain {
    private static final String CORE_ENTRY = "dev.coderd.metrics.core.AgentCore";
    /** The agent property naming this agent's version in a JVM that loaded it; {@code attach/AttachCommand} reads it. */
    static final String LOADED_MARKER = "coderd.metrics.agent.version";
    private static boolean started;

    private AgentPremain() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        synchronized (AgentPremain.class) {
            if (started) {
                // attached again (the attach command checks first; a raw loadAgent does not): say why nothing changes
                System.err.println("[coderd-metrics-agent] INFO already loaded in this JVM; this attach changes nothing");
                return;
            }
        }
        start(args, inst);
    }

    private static synchronized void start(String args, Instrumentation inst) {
        try {
            if (started) {
                return; // the same agent given twice: the first one serves
            }
            started = true;
            String command = System.getProperty("sun.java.command");
            boolean notAnApplication = LaunchGate.isJdkToolOrNoMain(command);
            if (notAnApplication && !LaunchGate.mayBeForced(args)) {
                return; // a JDK tool or `java -version`: silent, and nothing of the JVM touched
            }
            File jar = agentJar();
            JdkInternals jdk = JdkInternals.open(inst);
            String version = AgentPremain.class.getPackage().getImplementationVersion();
            ClassDataArchives archives = new ClassDataArchives(jdk);
            String training = archives.trainingRun();
            if (training != null) {
                // before the core loader exists: a recording lists every class it saw, keep that list short
                System.err.println("[coderd-metrics-agent] INFO " + training);
                return;
            }
            ClassLoader core = new CoreClassLoader(jar, ClassLoader.getPlatformClassLoader());
            Method entry = core.loadClass(CORE_ENTRY).getMethod("start", Instrumentation.class, String.class,
                    String.class, boolean.class, String.class, Runnable.class);
            entry.invoke(null, inst, args, version, notAnApplication, archives.unusedCache(), new BootPath(jdk, jar));
            try {
                jdk.markLoaded(LOADED_MARKER, version == null ? "unknown" : version); // for `attach`: a JVM takes the agent once
            } catch (ReflectiveOperationException | RuntimeException unmarked) {
                // `attach` then loads it again, which does nothing (started) and says so
            }
        } catch (Throwable t) {
            // The host must start even when the agent cannot.
            System.err.println("[coderd-metrics-agent] ERROR not started, the application runs without metrics: " + t);
        }
    }

    /**
     * Gives the bridge classes to the bootstrap loader ({@link BridgeDefiner}). The core runs it only after the
     * whole configuration (YAML included) said the agent runs here, so a disabled or excluded agent never does.
     */
    private static final class BootPath implements Runnable {
        private final JdkInternals jdk;
        private final File jar;

        BootPath(JdkInternals jdk, File jar) {
            this.jdk = jdk;
            this.jar = jar;
        }

        @Override
        public void run() {
            try (JarFile opened = new JarFile(jar)) {
                BridgeDefiner.defineAll(jdk, opened);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("the bridge classes could not be defined", e);
            }
        }
    }

    static File agentJar() throws Exception {
        return new File(AgentPremain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}

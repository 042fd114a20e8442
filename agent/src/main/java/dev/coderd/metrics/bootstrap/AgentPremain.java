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
 * <p>It skips JDK tools and JVMs without an application ({@link LaunchGate}) and hands over to the agent
 * core, which lives in its own {@link CoreClassLoader}, reads the whole configuration and only then, if it is
 * to run, appends this jar to the bootstrap search path so that the bridge classes are visible to every
 * loader. Nothing here may touch logging, JMX or DNS: the host has not run its own
 * {@code main} yet.
 */
public final class AgentPremain {
    private static final String CORE_ENTRY = "dev.coderd.metrics.core.AgentCore";
    private static boolean started;

    private AgentPremain() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
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
            ClassLoader core = new CoreClassLoader(jar, ClassLoader.getPlatformClassLoader());
            Method entry = core.loadClass(CORE_ENTRY)
                    .getMethod("start", Instrumentation.class, String.class, String.class, boolean.class, Runnable.class);
            entry.invoke(null, inst, args, AgentPremain.class.getPackage().getImplementationVersion(),
                    notAnApplication, new BootPath(inst, jar));
        } catch (Throwable t) {
            // The host must start even when the agent cannot.
            System.err.println("[coderd-metrics-agent] ERROR not started, the application runs without metrics: " + t);
        }
    }

    /**
     * Puts the bridge on the bootstrap search path. The core runs it only after the whole configuration (YAML
     * included) said the agent runs here: the JVM notices the appended path (class-data sharing for
     * application classes stops), so a disabled or excluded agent must never get this far.
     */
    private static final class BootPath implements Runnable {
        private final Instrumentation inst;
        private final File jar;

        BootPath(Instrumentation inst, File jar) {
            this.inst = inst;
            this.jar = jar;
        }

        @Override
        public void run() {
            try {
                inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static File agentJar() throws Exception {
        return new File(AgentPremain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}

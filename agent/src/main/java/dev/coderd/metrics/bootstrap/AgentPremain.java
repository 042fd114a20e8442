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
 * <p>It decides whether to run at all ({@link LaunchGate}), appends this jar to the bootstrap search path so
 * that the bridge classes are visible to every loader, and hands over to the agent core, which lives in its
 * own {@link CoreClassLoader}. Nothing here may touch logging, JMX or DNS: the host has not run its own
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
            if (!LaunchGate.shouldRun(args, System.getProperty("sun.java.command"))) {
                return;
            }
            File jar = agentJar();
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
            ClassLoader core = new CoreClassLoader(jar, ClassLoader.getPlatformClassLoader());
            Method entry = core.loadClass(CORE_ENTRY)
                    .getMethod("start", Instrumentation.class, String.class, String.class);
            entry.invoke(null, inst, args, AgentPremain.class.getPackage().getImplementationVersion());
        } catch (Throwable t) {
            // The host must start even when the agent cannot.
            System.err.println("[coderd-metrics-agent] ERROR not started, the application runs without metrics: " + t);
        }
    }

    private static File agentJar() throws Exception {
        return new File(AgentPremain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}

package dev.coderd.metrics.bootstrap;

import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;

/**
 * The agent jar's {@code Main-Class}: the agent for JVMs that are already running.
 *
 * <pre>
 * java -jar coderd-metrics-agent.jar list
 * java -jar coderd-metrics-agent.jar attach 12345 port=9100
 * java -jar coderd-metrics-agent.jar attach '*TestApp'
 * </pre>
 *
 * <p>Like premain, it only hands over: the command ({@code attach/AttachCommand}) lives in the core, loaded by
 * its own {@link CoreClassLoader} with the relocated {@code byte-buddy-agent} it is built on.
 */
public final class AgentCommand {
    private static final String CORE_ENTRY = "dev.coderd.metrics.attach.AttachCommand";

    private AgentCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            File jar = AgentPremain.agentJar();
            ClassLoader core = new CoreClassLoader(jar, ClassLoader.getPlatformClassLoader());
            return (Integer) core.loadClass(CORE_ENTRY)
                    .getMethod("run", String[].class, File.class, String.class, PrintStream.class, PrintStream.class)
                    .invoke(null, args, jar, AgentPremain.class.getPackage().getImplementationVersion(), out, err);
        } catch (InvocationTargetException e) {
            err.println("coderd-metrics-agent: " + e.getCause());
            return 1;
        } catch (Exception | LinkageError e) {
            err.println("coderd-metrics-agent: cannot start the command: " + e);
            return 1;
        }
    }
}

package dev.coderd.metrics.bootstrap;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;

/**
 * The four things premain needs from {@code java.base} internals: {@code jdk.internal.misc.Unsafe} (to
 * define the bridge in the bootstrap loader), {@code jdk.internal.misc.CDS} (is this JVM dumping or using a
 * class-data archive?), {@code jdk.internal.misc.VM.getRuntimeArguments()} (which archive was asked for) and
 * {@code jdk.internal.vm.VMSupport.getAgentProperties()} (where the agent says it is loaded, {@link #markLoaded}).
 *
 * <p>Reached by exporting {@code jdk.internal.misc} and {@code jdk.internal.vm} to this agent's module alone
 * through {@link Instrumentation#redefineModule}, the JDK's supported way for an agent to open a module: no
 * {@code --add-exports}, no warning, and no other module sees the export.
 */
final class JdkInternals {
    private final Class<?> cds;
    private final Object unsafe;
    private final Method defineClass;
    private final String[] vmArguments;

    private JdkInternals(Instrumentation inst) throws ReflectiveOperationException {
        Set<Module> agent = Set.of(JdkInternals.class.getModule());
        inst.redefineModule(Object.class.getModule(), Set.of(),
                Map.of("jdk.internal.misc", agent, "jdk.internal.vm", agent), Map.of(), Set.of(), Map.of());
        cds = Class.forName("jdk.internal.misc.CDS");
        Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
        unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
        defineClass = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, java.security.ProtectionDomain.class);
        String[] arguments = (String[]) Class.forName("jdk.internal.misc.VM").getMethod("getRuntimeArguments").invoke(null);
        // null, not empty, in a JVM started without options (seen on JDK 25 when the agent is attached at run time)
        vmArguments = arguments == null ? new String[0] : arguments;
    }

    static JdkInternals open(Instrumentation inst) throws ReflectiveOperationException {
        return new JdkInternals(inst);
    }

    /**
     * Records {@code key=value} among the JVM's <em>agent</em> properties, which the Attach API reads
     * ({@code VirtualMachine.getAgentProperties()}) and nothing else does: not {@code System.getProperties()},
     * not {@code jcmd VM.system_properties}, not the application. It is the JDK's own channel for an agent to
     * tell attach tools about itself (JDWP publishes its address there, the JMX agent its connector), so
     * {@code java -jar coderd-metrics-agent.jar list|attach} can see the agent in a JVM without the host seeing
     * anything. A system property would do the same and be visible to the application: a side effect.
     */
    void markLoaded(String key, String value) throws ReflectiveOperationException {
        java.util.Properties agentProperties = (java.util.Properties) Class.forName("jdk.internal.vm.VMSupport")
                .getMethod("getAgentProperties").invoke(null);
        agentProperties.setProperty(key, value);
    }

    /** Defines a class in the bootstrap class loader, as if it were on the boot class path. */
    void defineInBootstrap(String name, byte[] bytes) throws ReflectiveOperationException {
        defineClass.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
    }

    /** This JVM writes a class-data archive or an AOT cache (a training or assembly run). */
    boolean dumpingArchive() throws ReflectiveOperationException {
        return (Boolean) cds.getMethod("isDumpingArchive").invoke(null);
    }

    /** This JVM maps a class-data archive (the JDK's default one counts too). */
    boolean usingArchive() throws ReflectiveOperationException {
        return (Boolean) cds.getMethod(Runtime.version().feature() >= 18 ? "isUsingArchive" : "isSharingEnabled").invoke(null);
    }

    /** The value of {@code -XX:<flag>=value} among the JVM's arguments, or null. */
    String vmOption(String flag) {
        String prefix = "-XX:" + flag + "=";
        String value = null;
        for (String argument : vmArguments) {
            if (argument.startsWith(prefix)) {
                value = argument.substring(prefix.length()); // the last one wins, as for the JVM
            }
        }
        return value;
    }

    /** Whether {@code -XX:+<flag>} is among the JVM's arguments. */
    boolean vmFlag(String flag) {
        for (String argument : vmArguments) {
            if (argument.equals("-XX:+" + flag)) {
                return true;
            }
        }
        return false;
    }
}

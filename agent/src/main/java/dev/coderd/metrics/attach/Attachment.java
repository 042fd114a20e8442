package dev.coderd.metrics.attach;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.VirtualMachine;

/**
 * How this JVM reaches others, through byte-buddy-agent: the JDK's Attach API ({@code jdk.attach}) where this
 * runtime has it, else the HotSpot protocol over a UNIX domain socket ({@link HotSpotSocket}), so the command
 * works from a JRE too. Either way the caller gets byte-buddy-agent's {@link VirtualMachine}.
 *
 * <pre>
 * Attachment attachment = Attachment.best();
 * VirtualMachine vm = attachment.attach(12345);
 * try { vm.getAgentProperties(); } finally { vm.detach(); }
 * </pre>
 */
abstract class Attachment {
    /** What {@code list} and the messages call it. */
    abstract String name();

    abstract VirtualMachine attach(long pid) throws IOException;

    /** The JVMs this user can see, this one left out. */
    abstract List<RunningJvm> list() throws IOException;

    static Attachment best() {
        ByteBuddyAgent.AttachmentProvider.Accessor accessor = ByteBuddyAgent.AttachmentProvider.DEFAULT.attempt();
        if (accessor.isAvailable()) {
            return new JdkAttach(accessor.getVirtualMachineType());
        }
        if (LinuxProcess.available()) {
            return new SocketAttach();
        }
        throw new IllegalStateException("this Java runtime has no Attach API (the jdk.attach module) and this is not "
                + "Linux, where the agent speaks the attach protocol itself: run the command with a JDK's java");
    }

    /** The JDK's {@code com.sun.tools.attach.VirtualMachine}, seen through byte-buddy-agent's interface of the same shape. */
    static final class JdkAttach extends Attachment {
        private final Class<?> type;

        JdkAttach(Class<?> type) {
            this.type = type;
        }

        @Override
        String name() {
            return "the JDK's Attach API";
        }

        @Override
        VirtualMachine attach(long pid) throws IOException {
            Object vm = call(null, method(type, "attach", String.class), Long.toString(pid));
            return (VirtualMachine) Proxy.newProxyInstance(VirtualMachine.class.getClassLoader(), new Class<?>[] {VirtualMachine.class},
                    (proxy, method, args) -> call(vm, type.getMethod(method.getName(), method.getParameterTypes()), args));
        }

        @Override
        List<RunningJvm> list() throws IOException {
            List<RunningJvm> out = new ArrayList<>();
            long self = ProcessHandle.current().pid();
            for (Object descriptor : (List<?>) call(null, method(type, "list"))) {
                Class<?> d = descriptor.getClass();
                long pid = Long.parseLong((String) call(descriptor, publicMethod(d, "id")));
                if (pid != self) {
                    out.add(new RunningJvm(pid, (String) call(descriptor, publicMethod(d, "displayName"))));
                }
            }
            return out;
        }

        private static Method method(Class<?> type, String name, Class<?>... parameters) throws IOException {
            try {
                return type.getMethod(name, parameters);
            } catch (NoSuchMethodException e) {
                throw new IOException(e);
            }
        }

        private static Method publicMethod(Class<?> type, String name) throws IOException {
            try {
                return Class.forName("com.sun.tools.attach.VirtualMachineDescriptor", false, type.getClassLoader()).getMethod(name);
            } catch (ReflectiveOperationException e) {
                throw new IOException(e);
            }
        }

        /** A reflective call whose failure is the JDK's own exception, as an IOException with its message. */
        private static Object call(Object target, Method method, Object... args) throws IOException {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException) {
                    throw (IOException) cause;
                }
                throw new IOException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
            } catch (IllegalAccessException e) {
                throw new IOException(e);
            }
        }
    }

    /** byte-buddy-agent's own HotSpot protocol over {@link HotSpotSocket}; JVMs found through {@code /proc}. */
    static final class SocketAttach extends Attachment {
        @Override
        String name() {
            return "the HotSpot attach protocol (this runtime has no jdk.attach module)";
        }

        @Override
        VirtualMachine attach(long pid) throws IOException {
            try {
                return VirtualMachine.ForHotSpot.attach(Long.toString(pid), new HotSpotSocket(pid));
            } catch (IllegalStateException e) {
                throw new IOException(e.getMessage(), e); // "Target VM did not respond: ..."
            }
        }

        @Override
        List<RunningJvm> list() throws IOException {
            List<RunningJvm> out = new ArrayList<>();
            long self = ProcessHandle.current().pid();
            try (var processes = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc"), "[0-9]*")) {
                for (java.nio.file.Path dir : processes) {
                    long pid = Long.parseLong(dir.getFileName().toString());
                    LinuxProcess p = new LinuxProcess(pid);
                    String command = pid == self ? null : RunningJvm.commandOf(p.commandLine());
                    if (command != null && p.hasPerfData()) {
                        out.add(new RunningJvm(pid, command));
                    }
                }
            }
            out.sort(java.util.Comparator.comparingLong(RunningJvm::pid));
            return out;
        }
    }
}

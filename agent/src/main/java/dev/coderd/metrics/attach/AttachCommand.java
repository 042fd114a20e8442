package dev.coderd.metrics.attach;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import net.bytebuddy.agent.VirtualMachine;

/**
 * {@code java -jar coderd-metrics-agent.jar list|attach}: the agent for a JVM that is already running, without a
 * restart. Called by {@code bootstrap/AgentCommand} through the core's class loader.
 *
 * <pre>
 * java -jar coderd-metrics-agent.jar list
 * PID      AGENT            MAIN CLASS OR JAR, ARGUMENTS
 * 12345    -                dev.coderd.testapp.TestApp --demo
 * 12399    0.1.0            /opt/billing.jar
 *
 * java -jar coderd-metrics-agent.jar attach 12345 port=9100
 * java -jar coderd-metrics-agent.jar attach '*TestApp'          # the one JVM whose main class or jar matches
 * </pre>
 *
 * <p>A JVM takes the agent once: one that already runs it (from {@code -javaagent}, {@code JAVA_TOOL_OPTIONS} or an
 * earlier attach) is left alone, with a message. The agent says it is loaded through an agent property (see
 * {@code bootstrap/JdkInternals.markLoaded}), which only attach tools read. Quirks handled: another user's JVM
 * (refused with the command to run as that user; as root, the jar is copied where that user can read it), a
 * runtime without {@code jdk.attach} ({@link Attachment}), a JVM that would die of the attach signal
 * ({@code -Xrs}), JDK 21+'s warning about agents loaded at run time (named before it appears, with the flag that
 * allows them quietly) and JVMs that refuse them.
 */
public final class AttachCommand {
    /** Set by {@code bootstrap/AgentPremain} in the target (the same text as its {@code LOADED_MARKER}). */
    static final String LOADED_MARKER = "coderd.metrics.agent.version";
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private final File agentJar;
    private final String version;
    private final PrintStream out;
    private final PrintStream err;

    private AttachCommand(File agentJar, String version, PrintStream out, PrintStream err) {
        this.agentJar = agentJar;
        this.version = version == null ? "unknown" : version;
        this.out = out;
        this.err = err;
    }

    /** Runs the command; returns the process's exit code (0 done or nothing to do, 1 failed, 2 bad usage). */
    public static int run(String[] args, File agentJar, String version, PrintStream out, PrintStream err) {
        return new AttachCommand(agentJar, version, out, err).run(args);
    }

    private int run(String[] args) {
        if (args.length == 0) {
            usage(err);
            return USAGE;
        }
        try {
            switch (args[0]) {
                case "list":
                    return list(Attachment.best());
                case "attach":
                    if (args.length < 2) {
                        err.println("attach: which JVM? Give its pid or a glob of its main class or jar.");
                        usage(err);
                        return USAGE;
                    }
                    String agentArgs = args.length > 2 ? String.join(",", Arrays.asList(args).subList(2, args.length)) : null;
                    return attach(Attachment.best(), args[1], agentArgs);
                case "help":
                case "-h":
                case "--help":
                    usage(out);
                    return OK;
                default:
                    err.println("unknown command '" + args[0] + "'");
                    usage(err);
                    return USAGE;
            }
        } catch (IllegalStateException | IOException e) {
            err.println(e.getMessage());
            return FAILED;
        }
    }

    private void usage(PrintStream to) {
        to.println("coderd-metrics-agent " + version + ": Coder's Prometheus metrics for JVM services");
        to.println();
        to.println("  java -javaagent:" + agentJar.getName() + "[=key=value,...] -jar service.jar   at start-up");
        to.println("  java -jar " + agentJar.getName() + " list                                 JVMs it can attach to");
        to.println("  java -jar " + agentJar.getName() + " attach <pid|main-class-glob> [key=value,...]   into a running JVM");
        to.println();
        to.println("The keys are the agent's configuration keys (port, series-limit, http.routes, ...).");
    }

    // --- list -----------------------------------------------------------------------------------------------------

    private int list(Attachment attachment) throws IOException {
        List<RunningJvm> jvms = attachment.list();
        if (jvms.isEmpty()) {
            out.println("no other JVM that this user can see is running");
            return OK;
        }
        out.println(String.format(Locale.ROOT, "%-8s %-16s %s", "PID", "AGENT", "MAIN CLASS OR JAR, ARGUMENTS"));
        for (RunningJvm jvm : jvms) {
            out.println(String.format(Locale.ROOT, "%-8d %-16s %s", jvm.pid(), agentIn(attachment, jvm.pid()), jvm.command()));
        }
        return OK;
    }

    /**
     * The version of the agent the JVM runs, {@code -} for none, or {@code ?} and why it cannot be told. On Linux
     * from the jars the process holds open ({@link LinuxProcess#agentJarVersion}), touching no JVM; elsewhere by
     * attaching and reading the agent property, as {@code jcmd} would.
     */
    private String agentIn(Attachment attachment, long pid) {
        if (LinuxProcess.available()) {
            LinuxProcess process = new LinuxProcess(pid);
            long self = LinuxProcess.self().uid();
            if (self != 0 && process.uid() != self) {
                return "? (user " + process.user() + ")";
            }
            String version = process.agentJarVersion();
            return version == null ? "-" : version;
        }
        try {
            VirtualMachine vm = attachment.attach(pid);
            try {
                return vm.getAgentProperties().getProperty(LOADED_MARKER, "-");
            } finally {
                vm.detach();
            }
        } catch (IOException | RuntimeException e) {
            return "? (" + e.getMessage() + ")";
        }
    }

    // --- attach ---------------------------------------------------------------------------------------------------

    private int attach(Attachment attachment, String target, String agentArgs) throws IOException {
        RunningJvm jvm = find(attachment, target);
        if (jvm == null) {
            return FAILED;
        }
        String which = "pid " + jvm.pid() + " (" + jvm.main() + ")";
        if (LinuxProcess.available()) {
            LinuxProcess process = new LinuxProcess(jvm.pid());
            long self = LinuxProcess.self().uid();
            if (self != 0 && process.uid() != self) {
                err.println(which + " runs as user " + process.user() + ": the Attach API lets only that user (or root) "
                        + "attach to it. Run the command as that user:\n  sudo -u " + process.user() + " java -jar "
                        + agentJar.getAbsolutePath() + " attach " + jvm.pid() + (agentArgs == null ? "" : " " + agentArgs));
                return FAILED;
            }
            if (!process.catchesSigquit()) {
                err.println(which + " has no handler for SIGQUIT (it runs with -Xrs, or is not a HotSpot JVM): the signal "
                        + "that starts its attach listener would end it, so nothing was done. Give it the agent at "
                        + "start-up instead: -javaagent:" + agentJar.getAbsolutePath());
                return FAILED;
            }
        }
        VirtualMachine vm;
        try {
            vm = attachment.attach(jvm.pid());
        } catch (IOException e) {
            err.println("cannot attach to " + which + " through " + attachment.name() + ": " + e.getMessage());
            return FAILED;
        }
        try {
            Properties agentProperties = vm.getAgentProperties();
            String present = agentProperties.getProperty(LOADED_MARKER);
            if (present != null) {
                out.println(which + " already runs coderd-metrics-agent " + present + ": nothing to do. A JVM takes the "
                        + "agent once; to change its arguments, restart the JVM with them.");
                return OK;
            }
            Properties system = vm.getSystemProperties();
            String arguments = agentProperties.getProperty("sun.jvm.args", "") + " " + agentProperties.getProperty("sun.jvm.flags", "");
            int feature = feature(system.getProperty("java.specification.version", "0"));
            if (feature >= 21 && arguments.contains("-XX:-EnableDynamicAgentLoading")) {
                err.println(which + " runs with -XX:-EnableDynamicAgentLoading, which refuses agents loaded at run time: "
                        + "give it the agent at start-up (-javaagent:" + agentJar.getAbsolutePath() + ")");
                return FAILED;
            }
            if (feature >= 21 && !arguments.contains("-XX:+EnableDynamicAgentLoading")) {
                out.println("note: " + which + " runs Java " + feature + ", which prints \"WARNING: A Java agent has been "
                        + "loaded dynamically\" on its standard error now; start it with -XX:+EnableDynamicAgentLoading to "
                        + "allow this quietly (JEP 451). The agent works either way.");
            }
            String jar = jarFor(jvm.pid(), which);
            try {
                vm.loadAgent(jar, agentArgs);
            } catch (IOException | RuntimeException e) {
                err.println(which + " did not load the agent: " + e.getMessage());
                return FAILED;
            }
            String loaded = vm.getAgentProperties().getProperty(LOADED_MARKER);
            if (loaded == null) {
                err.println(which + " loaded the agent, which did not start there (a JDK tool, or an error): its standard "
                        + "error says why");
                return FAILED;
            }
            out.println("attached coderd-metrics-agent " + loaded + " to " + which
                    + (agentArgs == null ? "" : " with " + agentArgs) + ": it serves /metrics on "
                    + port(agentArgs) + "; the JVM's standard error has the line");
            return OK;
        } finally {
            try {
                vm.detach();
            } catch (IOException | RuntimeException ignored) {
                // the JVM went away: nothing left to release
            }
        }
    }

    /** The one JVM {@code target} names: a pid, or a glob that matches one JVM's main class or jar. */
    private RunningJvm find(Attachment attachment, String target) throws IOException {
        if (target.matches("\\d+")) {
            long pid = Long.parseLong(target);
            for (RunningJvm jvm : attachment.list()) {
                if (jvm.pid() == pid) {
                    return jvm;
                }
            }
            // not listed (a JVM without performance data, -XX:-UsePerfData): try it by its pid all the same
            if (LinuxProcess.available() && !new LinuxProcess(pid).exists()) {
                err.println("no process " + pid);
                return null;
            }
            String command = LinuxProcess.available() ? RunningJvm.commandOf(new LinuxProcess(pid).commandLine()) : null;
            return new RunningJvm(pid, command == null ? "?" : command);
        }
        List<RunningJvm> matching = attachment.list().stream().filter(j -> j.matches(target)).toList();
        if (matching.size() == 1) {
            return matching.get(0);
        }
        if (matching.isEmpty()) {
            err.println("no running JVM's main class or jar matches '" + target + "' (`java -jar " + agentJar.getName()
                    + " list` shows them)");
        } else {
            err.println("'" + target + "' matches " + matching.size() + " JVMs; give the pid of one:");
            matching.forEach(j -> err.println("  " + j.pid() + "  " + j.command()));
        }
        return null;
    }

    /**
     * The agent jar's path as the target sees it. The target opens the jar itself, as its own user and in its own
     * file system (a container): where it cannot see this jar there, as when root attaches to another user's JVM
     * or into another container, the jar is copied into the target's {@code /tmp}, readable by all, and stays there
     * while the JVM runs (the agent reads it).
     */
    private String jarFor(long pid, String which) throws IOException {
        Path jar = agentJar.toPath().toAbsolutePath();
        if (!LinuxProcess.available()) {
            return jar.toString();
        }
        LinuxProcess target = new LinuxProcess(pid);
        Path root = target.dir().resolve("root");
        Path seen = root.resolve(jar.toString().substring(1));
        boolean sameUser = target.uid() == LinuxProcess.self().uid();
        if (sameUser && Files.exists(seen) && Files.isSameFile(seen, jar)) {
            return jar.toString();
        }
        String inTarget = "/tmp/coderd-metrics-agent-" + version + ".jar";
        Path copy = root.resolve(inTarget.substring(1));
        if (!Files.exists(copy) || Files.mismatch(copy, jar) != -1) {
            Path partial = copy.resolveSibling(copy.getFileName() + "." + ProcessHandle.current().pid());
            Files.copy(jar, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(partial, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        out.println("copied the agent jar to " + inTarget + " in the file system of " + which + ", where its user ("
                + target.user() + ") can read it");
        return inTarget;
    }

    private static String port(String agentArgs) {
        if (agentArgs != null) {
            for (String pair : agentArgs.split(",")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2 && (kv[0].trim().equals("port") || kv[0].trim().equals("coderd.metrics.port"))) {
                    return "port " + kv[1].trim();
                }
            }
        }
        return "its configured port (2112 unless its configuration says otherwise)";
    }

    private static int feature(String specificationVersion) {
        try {
            String v = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
            return Integer.parseInt(v.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

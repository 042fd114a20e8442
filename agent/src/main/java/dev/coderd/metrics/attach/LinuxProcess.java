package dev.coderd.metrics.attach;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code /proc/<pid>} says about a process: its user, whether it catches {@code SIGQUIT}, its command line.
 * Every method answers null or false where {@code /proc} is missing (not Linux) or unreadable.
 *
 * <pre>
 * LinuxProcess p = new LinuxProcess(12345);
 * p.uid();            // 1000
 * p.catchesSigquit(); // false for a JVM started with -Xrs: the attach signal would end it
 * </pre>
 */
final class LinuxProcess {
    private static final Path PROC = Path.of("/proc");
    /** The agent jar's {@code Premain-Class} (a string: the class is not on the core's class path). */
    static final String PREMAIN_CLASS = "dev.coderd.metrics.bootstrap.AgentPremain";
    private final long pid;

    LinuxProcess(long pid) {
        this.pid = pid;
    }

    static boolean available() {
        return Files.isDirectory(PROC.resolve("self"));
    }

    static LinuxProcess self() {
        return new LinuxProcess(ProcessHandle.current().pid());
    }

    long pid() {
        return pid;
    }

    Path dir() {
        return PROC.resolve(Long.toString(pid));
    }

    boolean exists() {
        return Files.isDirectory(dir());
    }

    /** The real user id ({@code Uid:} of {@code status}), or -1. */
    long uid() {
        String uid = statusField("Uid:");
        return uid == null ? -1 : Long.parseLong(uid.trim().split("\\s+")[0]);
    }

    /** The user's name, from the owner of {@code /proc/<pid>}; the number where it has none. */
    String user() {
        try {
            return Files.getOwner(dir()).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return Long.toString(uid());
        }
    }

    /**
     * Whether the process has a handler for {@code SIGQUIT} ({@code SigCgt:} bit 3). The Attach API wakes a
     * HotSpot JVM with that signal; a JVM without the handler ({@code -Xrs}) would be killed by it.
     */
    boolean catchesSigquit() {
        String mask = statusField("SigCgt:");
        return mask != null && (Long.parseUnsignedLong(mask.trim(), 16) & (1L << (3 - 1))) != 0;
    }

    /** The command line's arguments (the executable first), or an empty list. */
    List<String> commandLine() {
        try {
            byte[] raw = Files.readAllBytes(dir().resolve("cmdline"));
            List<String> args = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return args;
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Whether the process is a HotSpot JVM with performance data on, as {@code jps} finds them: a file named
     * by its pid in an {@code hsperfdata_<user>} folder of its own {@code /tmp}.
     */
    boolean hasPerfData() {
        Path tmp = dir().resolve("root/tmp");
        try (var dirs = Files.newDirectoryStream(tmp, "hsperfdata_*")) {
            for (Path d : dirs) {
                if (Files.isRegularFile(d.resolve(Long.toString(pid)))) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /**
     * The version of coderd-metrics-agent whose jar the process holds open, "unknown" for a jar without one, or
     * null: a JVM that loaded the agent (at start-up or by an attach) keeps its jar open, so {@code list} can tell
     * without attaching to every JVM (which would start an attach listener in each). A jar is the agent's when its
     * manifest names the agent's premain class, whatever the file is called.
     */
    String agentJarVersion() {
        try (var fds = Files.newDirectoryStream(dir().resolve("fd"))) {
            for (Path fd : fds) {
                Path file;
                try {
                    file = Files.readSymbolicLink(fd);
                } catch (IOException | RuntimeException e) {
                    continue;
                }
                if (file.toString().endsWith(".jar")) {
                    String version = agentVersionOf(fd);
                    if (version != null) {
                        return version;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static String agentVersionOf(Path jar) {
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            java.util.jar.Manifest manifest = file.getManifest();
            if (manifest != null && PREMAIN_CLASS.equals(manifest.getMainAttributes().getValue("Premain-Class"))) {
                String version = manifest.getMainAttributes().getValue("Implementation-Version");
                return version == null ? "unknown" : version;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private String statusField(String name) {
        try {
            for (String line : Files.readAllLines(dir().resolve("status"), StandardCharsets.UTF_8)) {
                if (line.startsWith(name)) {
                    return line.substring(name.length());
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}

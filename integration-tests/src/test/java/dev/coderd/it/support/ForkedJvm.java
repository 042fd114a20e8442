package dev.coderd.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real JVM forked with the real agent jar, its output captured line by line.
 *
 * <pre>
 * try (ForkedJvm app = ForkedJvm.on(jdk).agent("port=" + metricsPort).jar(Artifacts.testAppJar())
 *         .args("--server.port=" + port).start("test-app ready on port (\\d+)")) {
 *     ...
 * }
 * </pre>
 */
public final class ForkedJvm implements AutoCloseable {
    /** How the agent's start-up line ends when no intake token is configured (the workspace-metrics intake is off). */
    public static final String INTAKE_OFF = "; /v1/workspace-metrics answers 404: no intake token is set (intake.token, CODERD_METRICS_INTAKE_TOKEN)";

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final String description;

    private ForkedJvm(Process process, String description) {
        this.process = process;
        this.description = description;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "output of " + description);
        reader.setDaemon(true);
        reader.start();
    }

    public static Builder on(Jdk jdk) {
        return new Builder(jdk);
    }

    public List<String> output() {
        return List.copyOf(output);
    }

    /** Lines that contain {@code text}. */
    public List<String> lines(String text) {
        return output.stream().filter(l -> l.contains(text)).toList();
    }

    public String outputText() {
        return String.join("\n", output);
    }

    /** Waits for a line matching {@code regex} and returns its first group (or the whole line). */
    public String await(String regex, Duration timeout) {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            List<String> lines = output;
            for (; seen < lines.size(); seen++) {
                Matcher m = p.matcher(lines.get(seen));
                if (m.find()) {
                    return m.groupCount() > 0 ? m.group(1) : m.group();
                }
            }
            if (!process.isAlive() && seen >= output.size()) {
                throw new IllegalStateException(description + " exited with " + process.exitValue()
                        + " before printing /" + regex + "/:\n" + outputText());
            }
            sleep(20);
        }
        throw new IllegalStateException(description + " did not print /" + regex + "/ within " + timeout + ":\n" + outputText());
    }

    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(description + " did not exit within " + timeout + ":\n" + outputText());
        }
        sleep(100); // let the reader drain the last lines
        return process.exitValue();
    }

    /** Asks the JVM to exit (SIGTERM, so its exit hooks and archive dumps run) and waits for it. */
    public int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        return waitFor(timeout);
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static final class Builder {
        private final Jdk jdk;
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> command = new ArrayList<>();
        private final Map<String, String> env = new TreeMap<>();
        private String agentArgs;
        private boolean agent;
        private final List<String> prefix = new ArrayList<>();
        private Path directory;

        private Builder(Jdk jdk) {
            jdk.assumeInstalled();
            this.jdk = jdk;
        }

        /** {@code -javaagent:<agent jar>[=args]}. */
        public Builder agent(String args) {
            this.agent = true;
            this.agentArgs = args;
            return this;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        /**
         * Runs the JVM as another user (by {@code setpriv}, which execs: {@link #pid()} is the JVM's), in
         * {@code directory}, which that user can enter. Only root can do it.
         */
        public Builder asUser(int uid, int gid, Path directory) {
            prefix.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"));
            this.directory = directory;
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder jar(Path jar, String... args) {
            command.add("-jar");
            command.add(jar.toString());
            command.addAll(List.of(args));
            return this;
        }

        public Builder main(Class<?> main, String... args) {
            command.add("-cp");
            command.add(Artifacts.fixtureClasspath());
            command.add(main.getName());
            command.addAll(List.of(args));
            return this;
        }

        /** Runs a JDK tool such as {@code jcmd} instead of {@code java}. */
        public ForkedJvm tool(String tool, String... args) {
            List<String> cmd = new ArrayList<>();
            cmd.add(jdk.tool(tool).toString());
            cmd.addAll(List.of(args));
            return launch(cmd, tool);
        }

        public ForkedJvm start() {
            List<String> cmd = new ArrayList<>();
            cmd.add(jdk.tool("java").toString());
            if (jvmArgs.stream().noneMatch(a -> a.startsWith("-XX:AOT") || a.startsWith("-XX:Shared") || a.startsWith("-XX:Archive"))) {
                cmd.add("-Xshare:auto"); // the JDK's own archive, as in production; archive tests choose their own
            }
            if (agent) {
                cmd.add("-javaagent:" + Artifacts.agentJar() + (agentArgs == null ? "" : "=" + agentArgs));
            }
            cmd.addAll(jvmArgs);
            cmd.addAll(command);
            return launch(cmd, String.join(" ", command.subList(Math.max(0, command.size() - 1), command.size())));
        }

        /** Starts and waits for the readiness line; returns the JVM. */
        public ForkedJvm start(String readyRegex) {
            ForkedJvm jvm = start();
            try {
                jvm.await(readyRegex, Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                jvm.close();
                throw e;
            }
            return jvm;
        }

        private ForkedJvm launch(List<String> command, String what) {
            List<String> cmd = new ArrayList<>(prefix);
            cmd.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().remove("JDK_JAVA_OPTIONS");
            pb.environment().keySet().removeIf(k -> k.startsWith("CODERD_METRICS_") || k.equals("CODER_PROMETHEUS_ADDRESS"));
            pb.environment().putAll(env);
            try {
                return new ForkedJvm(pb.start(), jdk + " " + what);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start " + cmd, e);
            }
        }
    }
}

package dev.coderd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A forked service under measurement: its process, its launch time, and what the OS and the JDK say of it. */
final class Server implements AutoCloseable {
    final Process process;
    final long launchedNanos;
    final Path javaHome;
    final Path log;

    private Server(Process process, long launchedNanos, Path javaHome, Path log) {
        this.process = process;
        this.launchedNanos = launchedNanos;
        this.javaHome = javaHome;
        this.log = log;
    }

    static Server start(Path javaHome, List<String> jvmArgs, List<String> command, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin/java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        long launched = System.nanoTime();
        return new Server(pb.start(), launched, javaHome, log);
    }

    /** Milliseconds from launch to the first 200 of {@code url}. */
    double awaitFirstOk(String url, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Load.get(url) == 200) {
                return (System.nanoTime() - launchedNanos) / 1e6;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no 200 from " + url + " within " + timeout + ":\n" + Files.readString(log));
    }

    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().orElseThrow().toNanos();
    }

    double rssMegabytes() throws IOException {
        return procStatus("VmRSS") / 1024.0;
    }

    long threads() throws IOException {
        return procStatus("Threads");
    }

    /** Java heap in use after a full collection, as {@code jcmd GC.heap_info} reports it. */
    double heapAfterGcMegabytes() throws IOException, InterruptedException {
        jcmd("GC.run");
        Matcher used = Pattern.compile("used (\\d+)K").matcher(jcmd("GC.heap_info"));
        return used.find() ? Long.parseLong(used.group(1)) / 1024.0 : Double.NaN;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(javaHome.resolve("bin/jcmd").toString(), Long.toString(process.pid()), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private long procStatus(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** Asks the service to exit (SIGTERM: archives are written on the way out) and waits. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}

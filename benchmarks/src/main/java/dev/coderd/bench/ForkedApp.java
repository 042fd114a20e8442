package dev.coderd.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The test-app forked with or without the agent, for the end-to-end measurements. */
final class ForkedApp implements AutoCloseable {
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    final Process process;
    final int port;
    final long launchedNanos;

    private ForkedApp(Process process, int port, long launchedNanos) {
        this.process = process;
        this.port = port;
        this.launchedNanos = launchedNanos;
    }

    static ForkedApp start(boolean withAgent, Path agentJar, Path appJar) throws IOException {
        return start(withAgent ? agentJar + "=port=" + freePort() : null, appJar);
    }

    /** With {@code -javaagent:<agent>} when it is not null ({@code jar=args}). */
    static ForkedApp start(String agent, Path appJar) throws IOException {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (agent != null) {
            cmd.add("-javaagent:" + agent);
        }
        cmd.addAll(Arrays.asList("-jar", appJar.toString(), "--server.port=" + port));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        long launched = System.nanoTime();
        Process p = pb.start();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                while (r.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return new ForkedApp(p, port, launched);
    }

    /** Nanoseconds from launch to the first 200 of {@code path}. */
    long awaitFirstOk(String path) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2)).build();
        while (true) {
            try {
                if (CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return System.nanoTime() - launchedNanos;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the app exited with " + process.exitValue());
            }
            Thread.sleep(5);
        }
    }

    /** CPU time the process has used so far, in nanoseconds. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().orElseThrow().toNanos();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    static Path path(String[] args, int i, String fallback) {
        Path p = Path.of(args.length > i ? args[i] : fallback);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(p + " does not exist: build first (mvn -B verify)");
        }
        return p;
    }

    /** What one run measures on a started app. */
    interface Measurement {
        double measure(ForkedApp app) throws Exception;
    }

    /**
     * Runs {@code measurement} {@code runs} times without and with the agent, alternating so that machine
     * noise falls on both alike; prints each run and returns the medians {without, with}.
     */
    static double[] alternate(int runs, Path agent, Path app, String unit, Measurement measurement) throws Exception {
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            for (boolean withAgent : new boolean[] {false, true}) {
                try (ForkedApp fork = start(withAgent, agent, app)) {
                    double value = measurement.measure(fork);
                    (withAgent ? with : without).add(value);
                    System.out.printf("run %d %-13s %8.1f %s%n", i + 1, withAgent ? "with agent" : "without agent", value, unit);
                }
            }
        }
        return new double[] {median(without), median(with)};
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

package dev.coderd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What series cost the service, measured on the real agent: the JDK-server {@link HelloServer} with R route
 * templates configured, heap after a full GC before and after one request to each route (each request makes
 * one route's 16 series: a counter, a 14-line histogram, a gauge), and the scrape's size and time.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.coderd.bench.SeriesFootprint [agent jar] [routes ...]
 * route templates  series added  heap added (KiB)  bytes/series  KiB per 10k series  scrape (KiB)  median scrape ms
 * </pre>
 *
 * The heap is read by {@code jcmd <pid> GC.run} then {@code GC.heap_info} (G1, fixed 512 MiB heap), the lowest of
 * three, so it is the data the agent keeps (data points, label values, the limiter's maps), not garbage.
 */
public final class SeriesFootprint {
    private static final Pattern G1_USED = Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K");

    private SeriesFootprint() {}

    public static void main(String[] args) throws Exception {
        Path agent = Path.of(args.length > 0 ? args[0] : "agent/target/coderd-metrics-agent.jar").toAbsolutePath();
        List<Integer> sizes = args.length > 1 ? Arrays.stream(args).skip(1).map(Integer::valueOf).toList() : List.of(125, 625, 3125);
        Path work = Files.createTempDirectory("series-footprint");
        Path hello = SideBySide.helloJar(work);
        Path jdk = Path.of(System.getProperty("java.home"));
        System.out.printf(Locale.ROOT, "%-16s %-13s %-17s %-13s %-19s %-13s %s%n", "route templates", "series added",
                "heap added (KiB)", "bytes/series", "KiB per 10k series", "scrape (KiB)", "median scrape ms");
        for (int routes : sizes) {
            measure(jdk, agent, hello, work, routes);
        }
    }

    static void measure(Path jdk, Path agent, Path hello, Path work, int routes) throws Exception {
        Path config = work.resolve("routes-" + routes + ".yaml");
        StringBuilder yaml = new StringBuilder("series-limit: 1000000\nhttp:\n  routes:\n");
        for (int i = 0; i < routes; i++) {
            yaml.append("    - /r/").append(i).append("/{x}\n");
        }
        Files.writeString(config, yaml);
        int port = SideBySide.freePort();
        int metricsPort = SideBySide.freePort();
        List<String> jvm = List.of("-javaagent:" + agent + "=port=" + metricsPort + ",config=" + config,
                "-XX:+UseG1GC", "-Xms512m", "-Xmx512m", "-Dsun.net.httpserver.nodelay=true");
        try (Server server = Server.start(jdk, jvm, List.of("-jar", hello.toString(), Integer.toString(port)),
                work.resolve("footprint-" + routes + ".log"))) {
            server.awaitFirstOk("http://127.0.0.1:" + port + SideBySide.HELLO_READY, Duration.ofSeconds(60));
            String url = "http://127.0.0.1:" + metricsPort + "/metrics";
            long before = series(Load.timedBody(url)[0]); // the first scrape registers jvm_* and process_*
            Load.timedBody(url);
            long heapBefore = heapAfterGc(jdk, server.process.pid());
            for (int i = 0; i < routes; i++) {
                Load.get("http://127.0.0.1:" + port + "/r/" + i + "/x");
            }
            String body = Load.timedBody(url)[0];
            long heapAfter = heapAfterGc(jdk, server.process.pid());
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                String[] timed = Load.timedBody(url);
                body = timed[0];
                times.add(Double.parseDouble(timed[1]));
            }
            times.sort(Double::compare);
            long added = series(body) - before;
            long heapKib = heapAfter - heapBefore;
            double perSeries = heapKib * 1024.0 / added;
            System.out.printf(Locale.ROOT, "%-16d %-13d %-17d %-13.0f %-19.0f %-13d %.2f%n", routes, added, heapKib, perSeries,
                    perSeries * 10_000 / 1024, body.length() / 1024, times.get(times.size() / 2));
        }
    }

    static long series(String exposition) {
        return exposition.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
    }

    /** Used heap in KiB after a full GC, the lowest of three (G1). */
    static long heapAfterGc(Path jdk, long pid) throws IOException, InterruptedException {
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            jcmd(jdk, pid, "GC.run");
            Matcher m = G1_USED.matcher(jcmd(jdk, pid, "GC.heap_info"));
            if (!m.find()) {
                throw new IllegalStateException("no G1 heap line from jcmd GC.heap_info");
            }
            lowest = Math.min(lowest, Long.parseLong(m.group(1)));
        }
        return lowest;
    }

    private static String jcmd(Path jdk, long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jdk.resolve("bin/jcmd").toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + out);
        }
        return out;
    }
}

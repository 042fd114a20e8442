package dev.coderd.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end-to-end runner: the test-app and a minimal JDK-server service, each started three ways — no agent,
 * this agent, the OpenTelemetry Java agent configured for Prometheus with traces and logs off — in
 * alternating runs so that machine noise falls on all three alike. It reports, side by side: time to first
 * response (plain, and from a JDK 25 AOT cache), throughput and p50/p99 latency under a fixed closed-loop load
 * from this process, server CPU per request, RSS, heap after GC, threads, and this agent's scrape time by
 * series count. Writes {@code side-by-side.md} and {@code side-by-side.csv} to the output folder.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.coderd.bench.SideBySide            # the full run, minutes
 * java -cp benchmarks/target/benchmarks.jar dev.coderd.bench.SideBySide --quick    # seconds: the build runs this
 * </pre>
 *
 * Options: {@code --quick}, {@code --out DIR} (default {@code benchmarks/results}), {@code --runs N},
 * {@code --agent JAR}, {@code --test-app JAR}, {@code --otel JAR}, {@code --jdk25 HOME}.
 */
public final class SideBySide {
    static final String HELLO_READY = "/hello";

    enum Mode {
        NONE("no agent"), AGENT("this agent"), OTEL("OpenTelemetry");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    /**
     * A service to measure: how to start it, which route is its "hello", and the route on which the service
     * tells how many "hello" requests its own handler ran (the reference this agent's count must equal).
     */
    record Subject(String name, List<String> jvmArgs, Path jar, List<String> args, String route, String handledRoute) {
        List<String> command(int port) {
            List<String> command = new ArrayList<>(jvmArgs);
            command.addAll(List.of("-jar", jar.toString()));
            args.forEach(a -> command.add(a.replace("{port}", Integer.toString(port))));
            return command;
        }
    }

    /** One measured cell: a value per run, reported as the median. */
    static final class Cell {
        final List<Double> values = new ArrayList<>();

        void add(double value) {
            values.add(value);
        }

        double median() {
            List<Double> sorted = new ArrayList<>(values);
            sorted.removeIf(v -> v.isNaN());
            if (sorted.isEmpty()) {
                return Double.NaN;
            }
            sorted.sort(null);
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }
    }

    final Options options;
    /** subject → mode → metric → cell. */
    final Map<String, Map<Mode, Map<String, Cell>>> results = new LinkedHashMap<>();
    final Map<String, String> notes = new LinkedHashMap<>();
    final List<String[]> scrapes = new ArrayList<>();
    /** Exactness, per subject: what this agent counted beside what the service and this runner counted. */
    final Map<String, Counts> agentCounts = new LinkedHashMap<>();

    /**
     * The "hello" requests this agent counted, the answers this runner got, and the requests the service's own
     * handler ran. The last is the reference: the JDK's HTTP client silently sends an idempotent request again,
     * on a new connection, when a pooled connection fails before the first byte of the answer, so a server may
     * run one request of the runner twice (seen on both subjects: the JDK server 7 times in 155 quick runs, the
     * test-app once in 587,949 answers).
     */
    static final class Counts {
        long counted;
        long answered;
        long handled;
    }

    SideBySide(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        SideBySide runner = new SideBySide(options);
        runner.run();
        runner.write();
        System.out.println("wrote " + options.out().resolve("side-by-side.md") + " and side-by-side.csv");
    }

    void run() throws Exception {
        Files.createDirectories(options.work());
        Path hello = helloJar(options.work());
        List<Subject> subjects = List.of(
                new Subject("test-app", List.of(), options.testApp(), List.of("--server.port={port}"), "/api/v2/buildinfo",
                        "/api/v2/buildinfo/served"),
                // without TCP_NODELAY every small response of the JDK server waits ~40 ms for a delayed ACK
                new Subject("JDK server", List.of("-Dsun.net.httpserver.nodelay=true"), hello, List.of("{port}"), HELLO_READY,
                        HelloServer.HANDLED));
        Path jdk = Path.of(System.getProperty("java.home"));
        for (int run = 0; run < options.runs(); run++) {
            for (Subject subject : subjects) {
                for (Mode mode : Mode.values()) {
                    measure(jdk, subject, mode, run);
                }
            }
        }
        scrapeSizes(jdk, hello);
        if (options.jdk25() != null && Files.isExecutable(options.jdk25().resolve("bin/java"))) {
            aotCache(options.jdk25(), options.quick() ? subjects.subList(1, 2) : subjects); // quick: the JDK server only
        } else {
            notes.put("AOT cache", "not measured: no JDK 25 at " + options.jdk25());
        }
    }

    private void measure(Path jdk, Subject subject, Mode mode, int run) throws Exception {
        int port = freePort();
        int metricsPort = freePort();
        Path log = options.work().resolve(subject.name().replace(' ', '-') + "-" + mode + "-" + run + ".log");
        try (Server server = Server.start(jdk, modeArgs(mode, metricsPort), subject.command(port), log)) {
            String url = "http://127.0.0.1:" + port + subject.route();
            Map<String, Cell> cells = cells(subject, mode);
            cells.computeIfAbsent("first response ms", k -> new Cell()).add(server.awaitFirstOk(url, Duration.ofSeconds(120)));
            Load.Result warm = Load.run(url, options.clients(), options.warmUp());
            long cpu0 = server.cpuNanos();
            Load.Result load = Load.run(url, options.clients(), options.load());
            long cpu = server.cpuNanos() - cpu0;
            cells.computeIfAbsent("throughput req/s", k -> new Cell()).add(load.throughput());
            cells.computeIfAbsent("p50 us", k -> new Cell()).add(load.p50Micros());
            cells.computeIfAbsent("p99 us", k -> new Cell()).add(load.p99Micros());
            cells.computeIfAbsent("server CPU us/req", k -> new Cell()).add(cpu / 1e3 / Math.max(1, load.requests()));
            cells.computeIfAbsent("RSS MB", k -> new Cell()).add(server.rssMegabytes());
            cells.computeIfAbsent("threads", k -> new Cell()).add(server.threads());
            cells.computeIfAbsent("heap after GC MB", k -> new Cell()).add(server.heapAfterGcMegabytes());
            if (mode == Mode.AGENT) {
                String metrics = Load.timedBody("http://127.0.0.1:" + metricsPort + "/metrics")[0];
                long counted = Math.round(sample(metrics, "coderd_api_requests_processed_total", subject.route().equals(HELLO_READY)
                        ? "path=\"/hello\"" : "path=\"" + subject.route() + "\""));
                Counts totals = agentCounts.computeIfAbsent(subject.name(), k -> new Counts());
                totals.counted += counted;
                totals.answered += 1 + warm.requests() + load.requests(); // the first response, the warm-up, the load
                totals.handled += Long.parseLong(Load.timedBody("http://127.0.0.1:" + port + subject.handledRoute())[0].trim());
            }
            System.out.printf(Locale.ROOT, "run %d %-10s %-22s first response %7.0f ms, %8.0f req/s%n", run + 1, subject.name(),
                    mode.label, cells.get("first response ms").values.get(run), load.throughput());
        }
    }

    /** This agent's scrape time as the number of series grows: routes configured, one request each. */
    private void scrapeSizes(Path jdk, Path hello) throws Exception {
        for (int routes : options.scrapeRoutes()) {
            Path config = options.work().resolve("routes-" + routes + ".yaml");
            StringBuilder yaml = new StringBuilder("series-limit: 1000000\nhttp:\n  routes:\n");
            for (int i = 0; i < routes; i++) {
                yaml.append("    - /r/").append(i).append("/{x}\n");
            }
            Files.writeString(config, yaml);
            int port = freePort();
            int metricsPort = freePort();
            List<String> args = List.of("-javaagent:" + options.agent() + "=port=" + metricsPort + ",config=" + config);
            try (Server server = Server.start(jdk, args, List.of("-Dsun.net.httpserver.nodelay=true", "-jar", hello.toString(),
                    Integer.toString(port)),
                    options.work().resolve("scrape-" + routes + ".log"))) {
                server.awaitFirstOk("http://127.0.0.1:" + port + HELLO_READY, Duration.ofSeconds(60));
                for (int i = 0; i < routes; i++) {
                    Load.get("http://127.0.0.1:" + port + "/r/" + i + "/x");
                }
                String url = "http://127.0.0.1:" + metricsPort + "/metrics";
                String body = Load.timedBody(url)[0]; // the first scrape also registers jvm_* and process_*
                Cell time = new Cell();
                for (int i = 0; i < options.scrapes(); i++) {
                    String[] timed = Load.timedBody(url);
                    body = timed[0];
                    time.add(Double.parseDouble(timed[1]));
                }
                long series = body.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
                scrapes.add(new String[] {Integer.toString(routes), Long.toString(series), format(time.median())});
                System.out.printf(Locale.ROOT, "scrape: %d routes, %d series, median %.2f ms%n", routes, series, time.median());
            }
        }
    }

    /** JDK 25: first response from an AOT cache trained as the README says (with the agent for the agent). */
    private void aotCache(Path jdk25, List<Subject> subjects) throws Exception {
        for (Subject subject : subjects) {
            for (Mode mode : Mode.values()) {
                Path cache = options.work().resolve(subject.name().replace(' ', '-') + "-" + mode + ".aot");
                String trained = train(jdk25, subject, mode, cache);
                if (trained != null) {
                    notes.put("AOT cache, " + subject.name() + ", " + mode.label, trained);
                    continue;
                }
                for (int run = 0; run < options.runs(); run++) {
                    int port = freePort();
                    List<String> args = new ArrayList<>(List.of("-XX:AOTCache=" + cache));
                    args.addAll(modeArgs(mode, freePort()));
                    Path log = options.work().resolve("aot-" + subject.name().replace(' ', '-') + "-" + mode + "-" + run + ".log");
                    try (Server server = Server.start(jdk25, args, subject.command(port), log)) {
                        double ms = server.awaitFirstOk("http://127.0.0.1:" + port + subject.route(), Duration.ofSeconds(120));
                        cells(subject, mode).computeIfAbsent("first response from AOT cache ms (JDK 25)", k -> new Cell()).add(ms);
                        if (Files.readString(log).contains("[error][aot]")) {
                            notes.put("AOT cache, " + subject.name() + ", " + mode.label, "the JVM did not use the cache");
                        }
                    }
                }
            }
        }
    }

    /** Records and assembles a cache; null when it worked, else what happened. */
    private String train(Path jdk25, Subject subject, Mode mode, Path cache) throws Exception {
        Path config = Path.of(cache + "conf");
        int port = freePort();
        List<String> record = new ArrayList<>(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + config));
        record.addAll(modeArgs(mode, freePort()));
        try (Server server = Server.start(jdk25, record, subject.command(port), Path.of(cache + ".record.log"))) {
            String url = "http://127.0.0.1:" + port + subject.route();
            server.awaitFirstOk(url, Duration.ofSeconds(120));
            Load.run(url, 1, options.warmUp());
            server.stop();
        }
        List<String> create = new ArrayList<>(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + config,
                "-XX:AOTCache=" + cache));
        create.addAll(modeArgs(mode, freePort()));
        Path log = Path.of(cache + ".create.log");
        List<String> assemble = new ArrayList<>(subject.jvmArgs());
        assemble.addAll(List.of("-jar", subject.jar().toString()));
        try (Server assembly = Server.start(jdk25, create, assemble, log)) {
            int exit = assembly.process.waitFor();
            if (exit != 0 || !Files.exists(cache)) {
                String text = Files.readString(log);
                return "training failed: the cache assembly exited with " + exit
                        + (text.contains("SIGSEGV") ? " (SIGSEGV)" : "");
            }
        }
        return null;
    }

    private List<String> modeArgs(Mode mode, int metricsPort) {
        switch (mode) {
            case AGENT:
                return List.of("-javaagent:" + options.agent() + "=port=" + metricsPort);
            case OTEL:
                return List.of("-javaagent:" + options.otel(), "-Dotel.metrics.exporter=prometheus",
                        "-Dotel.exporter.prometheus.port=" + metricsPort, "-Dotel.traces.exporter=none",
                        "-Dotel.logs.exporter=none");
            default:
                return List.of();
        }
    }

    private Map<String, Cell> cells(Subject subject, Mode mode) {
        return results.computeIfAbsent(subject.name(), k -> new LinkedHashMap<>()).computeIfAbsent(mode, k -> new LinkedHashMap<>());
    }

    static double sample(String exposition, String name, String labelFragment) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(labelFragment) + "[^}]*\\} (\\S+)$")
                .matcher(exposition);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    void write() throws IOException {
        Files.createDirectories(options.out());
        StringBuilder md = new StringBuilder("# Side by side: no agent, this agent, OpenTelemetry\n\n");
        md.append(machine()).append(" Agents: ").append(version(options.agent())).append(" (this agent), OpenTelemetry Java agent ")
                .append(version(options.otel())).append(" with `otel.metrics.exporter=prometheus`, traces and logs exporters `none`.\n\n");
        md.append(String.format(Locale.ROOT, "%d alternating run(s) per cell, medians; load: %d client threads, %d s warm-up, "
                + "%d s measured, from the runner's own process.%n%n", options.runs(), options.clients(),
                options.warmUp().toSeconds(), options.load().toSeconds()));
        StringBuilder csv = new StringBuilder("subject,mode,metric,median,runs\n");
        for (Map.Entry<String, Map<Mode, Map<String, Cell>>> subject : results.entrySet()) {
            md.append("## ").append(subject.getKey()).append("\n\n| metric |");
            for (Mode mode : Mode.values()) {
                md.append(' ').append(mode.label).append(" |");
            }
            md.append(" this agent / none | OpenTelemetry / none |\n|---|");
            md.append("---|".repeat(Mode.values().length + 2)).append('\n');
            List<String> metrics = new ArrayList<>();
            subject.getValue().values().forEach(m -> m.keySet().forEach(k -> {
                if (!metrics.contains(k)) {
                    metrics.add(k);
                }
            }));
            for (String metric : metrics) {
                md.append("| ").append(metric).append(" |");
                double[] medians = new double[Mode.values().length];
                for (Mode mode : Mode.values()) {
                    Cell cell = subject.getValue().getOrDefault(mode, Map.of()).get(metric);
                    medians[mode.ordinal()] = cell == null ? Double.NaN : cell.median();
                    md.append(' ').append(format(medians[mode.ordinal()])).append(" |");
                    if (cell != null) {
                        csv.append(String.join(",", quote(subject.getKey()), quote(mode.label), quote(metric),
                                format(cell.median()), Integer.toString(cell.values.size()))).append('\n');
                    }
                }
                md.append(' ').append(ratio(medians[1], medians[0], metric)).append(" | ")
                        .append(ratio(medians[2], medians[0], metric)).append(" |\n");
            }
            Counts counts = agentCounts.get(subject.getKey());
            if (counts != null) {
                md.append("\nThis agent counted ").append(counts.counted).append(" requests; the service's own handler ran ")
                        .append(counts.handled).append(", for ").append(counts.answered).append(" answers to the runner")
                        .append(counts.handled == counts.answered ? ".\n"
                                : " (the difference: requests the JDK client sent again on a new connection).\n");
                csv.append(String.join(",", quote(subject.getKey()), quote(Mode.AGENT.label), quote("requests counted / handled"),
                        counts.counted + "/" + counts.handled, Integer.toString(options.runs()))).append('\n');
            }
            md.append('\n');
        }
        md.append("## Scrape time of this agent by series\n\n| configured routes | series exposed | median scrape ms |\n|---|---|---|\n");
        for (String[] row : scrapes) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
            csv.append(String.join(",", quote("JDK server"), quote(Mode.AGENT.label), quote("scrape ms at " + row[1] + " series"),
                    row[2], Integer.toString(options.scrapes()))).append('\n');
        }
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        }
        Files.writeString(options.out().resolve("side-by-side.md"), md);
        Files.writeString(options.out().resolve("side-by-side.csv"), csv);
    }

    private static String ratio(double value, double base, String metric) {
        if (Double.isNaN(value) || Double.isNaN(base) || base == 0) {
            return "—";
        }
        if (metric.startsWith("first response") || metric.equals("RSS MB") || metric.equals("threads")
                || metric.startsWith("heap")) {
            return String.format(Locale.ROOT, "%+.0f", value - base); // added, in the metric's unit
        }
        return String.format(Locale.ROOT, "%.3f", value / base);
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }

    private static String quote(String s) {
        return s.contains(",") ? "\"" + s + "\"" : s;
    }

    static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024 + " GB").orElse("?");
        return "Machine: " + InetAddress.getLocalHost().getHostName() + ", " + cpu + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, " + memory + " RAM; runner and services on JDK "
                + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + "); " + LocalDate.now() + ".";
    }

    private static String version(Path jar) throws IOException {
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            String v = file.getManifest().getMainAttributes().getValue("Implementation-Version");
            return v == null ? "unknown version" : v;
        }
    }

    /** A jar with {@link HelloServer} alone, so that the service's class path is a jar and only its own. */
    static Path helloJar(Path dir) throws IOException {
        Path jar = dir.resolve("hello-server.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, HelloServer.class.getName());
        String entry = HelloServer.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             InputStream in = HelloServer.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(in.readAllBytes());
            out.closeEntry();
        }
        return jar;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

package dev.coderd.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server, started as a child process with its own storage and configuration on a free port,
 * and its HTTP API.
 *
 * <pre>
 * try (Prometheus prometheus = Prometheus.start(dir, "scrape_configs: [...]")) {
 *     List&lt;Prometheus.Sample&gt; up = prometheus.query("up");
 * }
 * </pre>
 *
 * <p>The binaries come from {@code -Dit.prometheus.home=<dir with prometheus and promtool>} or the {@code PATH}
 * (Debian's {@code prometheus} package installs both in {@code /usr/bin}; {@code .ci/run} installs it). Where they
 * are missing the test fails with {@link #HOW_TO_INSTALL}: a skipped real-Prometheus test would let the deployment
 * assets rot unnoticed.
 */
public final class Prometheus implements AutoCloseable {
    public static final String HOW_TO_INSTALL = "this test runs a real Prometheus server and promtool, which were not "
            + "found on the PATH or in -Dit.prometheus.home. Install them: on Debian or Ubuntu "
            + "`sudo apt-get install -y --no-install-recommends prometheus` (Prometheus 2.42 on Debian 12; the test "
            + "never uses the package's service), elsewhere unpack a release from https://prometheus.io/download/ "
            + "and run the tests with -Dit.prometheus.home=<its folder>";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One element of an instant vector: its labels (the name under {@code __name__}), value and sample time. */
    public record Sample(Map<String, String> labels, double value, double timestamp) {
        public String label(String name) {
            return labels.get(name);
        }
    }

    private final Process process;
    private final Path log;
    private final String base;

    private Prometheus(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.base = "http://127.0.0.1:" + port;
    }

    /** The {@code prometheus} or {@code promtool} binary; fails, saying how to install it, where there is none. */
    public static Path binary(String name) {
        String home = System.getProperty("it.prometheus.home", "");
        List<Path> candidates = new ArrayList<>();
        if (!home.isBlank()) {
            candidates.add(Path.of(home, name));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, name));
            }
        }
        candidates.add(Path.of("/usr/bin", name));
        return candidates.stream().filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not found: " + HOW_TO_INSTALL));
    }

    /** {@code prometheus --version}'s first line, such as {@code prometheus, version 2.42.0+ds (...)}. */
    public static String version() {
        Tool.Result r = Tool.run(Duration.ofSeconds(30), binary("prometheus").toString(), "--version");
        return r.output().lines().findFirst().orElse("");
    }

    /** Starts Prometheus with {@code config} (prometheus.yml text) in {@code dir}, and waits until it is ready. */
    public static Prometheus start(Path dir, String config) throws IOException {
        Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
        Tool.Result check = Tool.run(Duration.ofSeconds(30), binary("promtool").toString(), "check", "config", configFile.toString());
        if (check.exitCode() != 0) {
            throw new AssertionError("promtool check config failed:\n" + check.output() + "\n" + config);
        }
        int port = Ports.free();
        Path log = dir.resolve("prometheus.log");
        ProcessBuilder pb = new ProcessBuilder(binary("prometheus").toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("data")),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Prometheus p = new Prometheus(pb.start(), log, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + p.process.exitValue() + ":\n" + p.log());
            }
            try {
                if (CLIENT.send(HttpRequest.newBuilder(URI.create(p.base + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return p;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        p.close();
        throw new IllegalStateException("prometheus was not ready within 60 s:\n" + p.log());
    }

    /** An instant query evaluated now; fails with Prometheus's own error when the expression does not parse. */
    public List<Sample> query(String promql) {
        JsonNode data = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        String type = data.get("resultType").asText();
        if (type.equals("scalar")) {
            JsonNode v = data.get("result");
            return List.of(new Sample(Map.of(), parse(v.get(1).asText()), v.get(0).asDouble()));
        }
        if (!type.equals("vector")) {
            throw new IllegalArgumentException(promql + " is a " + type + ", not an instant vector");
        }
        List<Sample> samples = new ArrayList<>();
        for (JsonNode element : data.get("result")) {
            Map<String, String> labels = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = element.get("metric").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> label = it.next();
                labels.put(label.getKey(), label.getValue().asText());
            }
            JsonNode v = element.get("value");
            samples.add(new Sample(labels, parse(v.get(1).asText()), v.get(0).asDouble()));
        }
        return samples;
    }

    /** The one sample {@code promql} returns, or null when it returns none; fails when it returns several. */
    public Double value(String promql) {
        List<Sample> samples = query(promql);
        if (samples.size() > 1) {
            throw new AssertionError(promql + " returned " + samples.size() + " samples: " + samples);
        }
        return samples.isEmpty() ? null : samples.get(0).value();
    }

    /** {@code /api/v1/<path>}'s {@code data}, after checking {@code status} is {@code success}. */
    public JsonNode api(String pathAndQuery) {
        HttpResponse<String> r;
        try {
            r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(pathAndQuery, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(pathAndQuery + " answered " + r.statusCode() + " with no JSON: " + r.body());
        }
        if (!"success".equals(body.path("status").asText())) {
            throw new AssertionError(pathAndQuery + " answered " + r.statusCode() + ": "
                    + body.path("errorType").asText() + ": " + body.path("error").asText());
        }
        return body.get("data");
    }

    /**
     * Waits until every target of {@code job} has been scraped successfully after {@code since} (epoch seconds),
     * so that a query then sees what the targets served before it. Uses the scrape timestamp of {@code up}, not
     * the query time.
     */
    public void awaitScrapesAfter(String job, double since, int targets) {
        // timestamp() reads the scrape time only of a plain selector (of "up == 1" it returns the query time)
        String up = "up{job=\"" + job + "\"}";
        String q = "timestamp(" + up + ") and (" + up + " == 1)";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<Sample> last = List.of();
        while (System.nanoTime() < deadline) {
            last = query(q);
            if (last.size() == targets && last.stream().allMatch(s -> s.value() > since)) {
                return;
            }
            sleep(200);
        }
        throw new AssertionError("the " + targets + " targets of job " + job + " were not all scraped after " + since
                + " within 30 s: " + last + "\n" + targets() + "\n" + log());
    }

    /** Each active target's job, address, health and last error: for failure messages. */
    public String targets() {
        StringBuilder out = new StringBuilder("targets:");
        for (JsonNode t : api("/api/v1/targets?state=active").get("activeTargets")) {
            out.append("\n  ").append(t.path("labels").path("job").asText()).append(' ')
                    .append(t.path("labels").path("instance").asText()).append(' ').append(t.path("health").asText())
                    .append(" last scrape ").append(t.path("lastScrapeDuration").asText()).append(" s ")
                    .append(t.path("lastError").asText());
        }
        return out.toString();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static double parse(String value) {
        switch (value) {
            case "+Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            case "NaN": return Double.NaN;
            default: return Double.parseDouble(value);
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
}

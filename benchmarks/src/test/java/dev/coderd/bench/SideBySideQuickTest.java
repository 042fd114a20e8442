package dev.coderd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The side-by-side runner at test scale (one run, one-second loads), so that it cannot rot: every cell is
 * measured, this agent counted exactly the requests the service's own handler ran (not the runner's answers: the
 * JDK client may send a request again), and the scrape-size run exposes exactly 16 series per configured route (a counter, a 14-line histogram, a gauge).
 */
class SideBySideQuickTest {
    @Test
    void theQuickRunMeasuresEveryCellAndTheAgentCountsExactly() throws Exception {
        Path out = Path.of("target/side-by-side-quick");
        Options options = Options.parse("--quick", "--out", out.toString(), "--work", "target/side-by-side-quick/work",
                "--agent", "../agent/target/coderd-metrics-agent.jar", "--test-app", "../test-app/target/test-app.jar",
                "--otel", "target/otel/opentelemetry-javaagent.jar", "--jdk25", System.getProperty("bench.jdk25.home", ""));
        SideBySide runner = new SideBySide(options);
        runner.run();
        runner.write();

        for (String subject : List.of("test-app", "JDK server")) {
            for (SideBySide.Mode mode : SideBySide.Mode.values()) {
                var cells = runner.results.get(subject).get(mode);
                assertThat(cells.keySet()).as(subject + ", " + mode).contains("first response ms", "throughput req/s", "p50 us",
                        "p99 us", "server CPU us/req", "RSS MB", "threads", "heap after GC MB");
                assertThat(cells.values()).as(subject + ", " + mode).allSatisfy(cell ->
                        assertThat(cell.median()).isFinite().isGreaterThanOrEqualTo(0));
            }
            SideBySide.Counts counts = runner.agentCounts.get(subject);
            assertThat(counts.counted).as("requests the agent counted on the " + subject).isEqualTo(counts.handled);
        }
        assertThat(runner.scrapes).hasSize(2);
        long base = Long.parseLong(runner.scrapes.get(0)[1]);
        assertThat(Long.parseLong(runner.scrapes.get(1)[1]) - base).isEqualTo(60 * 16);
        String table = Files.readString(out.resolve("side-by-side.md"));
        assertThat(table).contains("## test-app", "## JDK server", "## Scrape time of this agent by series", "Machine: ");
        assertThat(Files.readAllLines(out.resolve("side-by-side.csv")).get(0)).isEqualTo("subject,mode,metric,median,runs");
    }
}

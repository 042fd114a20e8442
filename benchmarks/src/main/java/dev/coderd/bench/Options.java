package dev.coderd.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The runner's settings: the full run by default, {@code --quick} for the seconds-long one the build runs. */
record Options(boolean quick, Path out, Path work, int runs, Path agent, Path testApp, Path otel, Path jdk25,
               int clients, Duration warmUp, Duration load, List<Integer> scrapeRoutes, int scrapes) {

    static Options parse(String... args) {
        boolean quick = List.of(args).contains("--quick");
        Path out = Path.of(value(args, "--out", "benchmarks/results"));
        return new Options(quick, out, Path.of(value(args, "--work", "benchmarks/target/side-by-side")),
                Integer.parseInt(value(args, "--runs", quick ? "1" : "5")),
                existing(value(args, "--agent", "agent/target/coderd-metrics-agent.jar")),
                existing(value(args, "--test-app", "test-app/target/test-app.jar")),
                existing(value(args, "--otel", "benchmarks/target/otel/opentelemetry-javaagent.jar")),
                Path.of(value(args, "--jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64")),
                2, Duration.ofSeconds(quick ? 1 : 5), Duration.ofSeconds(quick ? 1 : 10),
                quick ? List.of(0, 60) : List.of(0, 625, 6250), quick ? 3 : 11);
    }

    private static String value(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static Path existing(String path) {
        Path p = Path.of(path).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(p + " does not exist: build first (mvn -B package -DskipTests)");
        }
        return p;
    }
}

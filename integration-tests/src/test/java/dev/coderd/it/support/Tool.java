package dev.coderd.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool run to completion ({@code promtool check metrics}, {@code promtool test rules}), its
 * standard output and error kept apart.
 *
 * <pre>
 * Tool.Result r = Tool.run(Duration.ofSeconds(30), "promtool", "check", "rules", "coderd-rules.yml");
 * </pre>
 */
public final class Tool {
    private Tool() {}

    public record Result(int exitCode, String stdout, String stderr) {
        /** Both streams, standard output first. */
        public String output() {
            return stdout + stderr;
        }
    }

    public static Result run(Duration timeout, String... command) {
        return runWithInput(timeout, null, command);
    }

    /** Runs {@code command} with {@code stdin} (null: none) as its standard input. */
    public static Result runWithInput(Duration timeout, String stdin, String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }, task -> {
            Thread t = new Thread(task, "drain"); // one thread per stream: the common pool may have one thread
            t.setDaemon(true);
            t.start();
        });
    }
}

package dev.coderd.metrics.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code jakarta} source of the project (advice, fixture catalogues, anything named {@code Jakarta*.java})
 * has a {@code javax} twin that is the same text once the namespace is replaced: a fix made in one and not the
 * other fails here instead of in a review.
 */
class NamespaceTwinsTest {
    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyJakartaSourceHasAnIdenticalJavaxTwin() throws IOException {
        List<Path> jakarta;
        try (Stream<Path> files = Files.walk(PROJECT)) {
            jakarta = files.filter(p -> p.getFileName().toString().matches("Jakarta\\w*\\.java"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .sorted().toList();
        }
        assertThat(jakarta).extracting(p -> PROJECT.relativize(p).toString()).contains(
                "agent/src/main/java/dev/coderd/metrics/instrumentation/http/servlet/JakartaServletAdvice.java",
                "agent/src/main/java/dev/coderd/metrics/instrumentation/http/spring/JakartaDispatcherAdvice.java",
                "integration-tests/src/test/java/dev/coderd/it/fixtures/JakartaCatalogue.java");
        for (Path source : jakarta) {
            Path twin = source.resolveSibling(source.getFileName().toString().replaceFirst("^Jakarta", "Javax"));
            assertThat(twin).as("the javax twin of " + PROJECT.relativize(source)).exists();
            String expected = Files.readString(source).replace("jakarta", "javax").replace("Jakarta", "Javax");
            assertThat(Files.readString(twin)).as(PROJECT.relativize(twin) + " against its jakarta twin").isEqualTo(expected);
        }
    }
}

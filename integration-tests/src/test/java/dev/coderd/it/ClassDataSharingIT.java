package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.fixtures.JdkServerFixture;
import dev.coderd.it.fixtures.ServletCatalogue;
import dev.coderd.it.support.Artifacts;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Start-up-tuned JVMs keep their tuning with the agent: a JDK 17 AppCDS archive and a JDK 25 AOT cache are
 * trained the way the README says, then a JVM starts from them with the agent. Asserted: no crash, no JVM
 * warning or error, the JVM's own log shows the archive in use for the application's classes, the metrics
 * are exact.
 *
 * <p>The recipes: JDK 17 dumps no archive with an agent attached (the JVM refuses unless a diagnostic flag
 * is set), so it is trained without one; JDK 25 refuses a cache trained without the agent (the module graph
 * differs by {@code java.instrument}), so it is trained with it, and the agent stays passive while training.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.coderd.it.support.Jdk#all")
class ClassDataSharingIT {
    static final String USERS = "/api/v2/users/";
    static final String PROCESSED = "coderd_api_requests_processed_total";

    @Parameter
    Jdk jdk;

    @TempDir
    Path dir;

    /** How the archive of this JDK is trained and then used, and how its log shows a class came from it. */
    record Recipe(boolean trainWithAgent, List<String> training, List<String> assembly, List<String> production,
                  String fromArchive) {
        static Recipe of(Jdk jdk, Path dir) {
            String classLog = "-Xlog:class+load:file=" + dir.resolve("classes.log");
            if (jdk.feature() >= 25) {
                // the two-step form of -XX:AOTCacheOutput: a service stopped by a signal records, then assembly
                Path config = dir.resolve("app.aotconf");
                Path cache = dir.resolve("app.aot");
                return new Recipe(true, List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + config),
                        List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + config, "-XX:AOTCache=" + cache),
                        List.of("-XX:AOTCache=" + cache, "-Xlog:aot", classLog), "source: shared objects file");
            }
            Path archive = dir.resolve("app.jsa");
            return new Recipe(false, List.of("-XX:ArchiveClassesAtExit=" + archive), List.of(),
                    List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds", classLog), "source: shared objects file (top)");
        }
    }

    @Test
    void aJdkServerStartsFromItsArchiveWithTheAgentAndCountsExactly() throws Exception {
        Recipe recipe = Recipe.of(jdk, dir);
        Path fixture = Artifacts.fixtureJar(dir, JdkServerFixture.class, ServletCatalogue.class);
        int trainingMetrics = Ports.free();
        ForkedJvm.Builder training = ForkedJvm.on(jdk);
        recipe.training().forEach(training::jvmArg);
        if (recipe.trainWithAgent()) {
            training.agent("port=" + trainingMetrics);
        }
        try (ForkedJvm train = training.jar(fixture, Integer.toString(Ports.free())).start(FoundationIT.READY)) {
            int port = Integer.parseInt(train.await(FoundationIT.READY, Duration.ofSeconds(5)));
            for (int i = 0; i < 3; i++) {
                assertThat(Http.rawStatus(port, USERS + i)).isEqualTo(200);
            }
            assertThat(Http.listening(trainingMetrics)).isFalse(); // passive while training
            int exit = train.stop(Duration.ofSeconds(120));
            assertThat(exit).as(train.outputText()).isEqualTo(143); // SIGTERM: the archive is written on the way out
            // (a JDK 25 recording lists the agent's few premain classes as "Skipping ...: Unsupported location")
            assertThat(train.output()).noneMatch(l -> l.contains("VM warning") || l.contains("[error]"));
            if (recipe.trainWithAgent()) {
                assertThat(train.lines("[coderd-metrics-agent]")).containsExactly("[coderd-metrics-agent] INFO this JVM "
                        + "trains an AOT cache; the agent stays passive so that the cache holds the application's classes "
                        + "unchanged (run the production JVM with the same -javaagent to get metrics)");
            }
        }

        if (!recipe.assembly().isEmpty()) {
            ForkedJvm.Builder assembly = ForkedJvm.on(jdk).agent("port=" + trainingMetrics);
            recipe.assembly().forEach(assembly::jvmArg);
            ForkedJvm assemble = assembly.jar(fixture).start();
            assertThat(assemble.waitFor(Duration.ofSeconds(120))).as(assemble.outputText()).isZero();
            assertThat(assemble.lines("AOTCache creation is complete")).hasSize(1);
            assertThat(assemble.lines("[coderd-metrics-agent]")).isEmpty(); // no application: skipped silently
        }

        int metricsPort = Ports.free();
        ForkedJvm.Builder production = ForkedJvm.on(jdk).agent("port=" + metricsPort);
        recipe.production().forEach(production::jvmArg);
        try (ForkedJvm app = production.jar(fixture, Integer.toString(Ports.free())).start(FoundationIT.READY)) {
            int port = Integer.parseInt(app.await(FoundationIT.READY, Duration.ofSeconds(5)));
            for (int i = 0; i < 4; i++) {
                assertThat(Http.rawStatus(port, USERS + i)).isEqualTo(200);
            }
            assertThat(Http.scrape(metricsPort).value(PROCESSED, "code", "200", "method", "GET", "path", USERS)).isEqualTo(4.0);
            assertThat(app.output()).noneMatch(l -> l.contains("VM warning") || l.contains("[error]") || l.contains("[warning]"));
            if (jdk.feature() >= 25) {
                assertThat(app.lines("Using AOT-linked classes: true")).hasSize(1);
            }
            assertThat(classLoaded(JdkServerFixture.class.getName())).endsWith(recipe.fromArchive());
        }
    }

    /** The class-load log line of {@code className}. */
    private String classLoaded(String className) throws IOException {
        try (var lines = Files.lines(dir.resolve("classes.log"))) {
            return lines.filter(l -> l.contains(" " + className + " source: ")).findFirst().orElse("not loaded: " + className);
        }
    }
}

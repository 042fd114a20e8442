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

    static final String PASSIVE = "[coderd-metrics-agent] INFO this JVM trains an AOT cache; the agent stays passive so "
            + "that the cache holds the application's classes unchanged (run the production JVM with the same -javaagent "
            + "to get metrics)";
    static final String TEST_APP_READY = "test-app ready on port (\\d+)";

    @Test
    void aJdkServerStartsFromItsArchiveWithTheAgentAndCountsExactly() throws Exception {
        Recipe recipe = Recipe.of(jdk, dir);
        Path fixture = Artifacts.fixtureJar(dir, JdkServerFixture.class, ServletCatalogue.class);
        int trainingMetrics = Ports.free();
        try (ForkedJvm train = training(recipe, trainingMetrics).jar(fixture, Integer.toString(Ports.free()))
                .start(FoundationIT.READY)) {
            int port = Integer.parseInt(train.await(FoundationIT.READY, Duration.ofSeconds(5)));
            for (int i = 0; i < 3; i++) {
                assertThat(Http.rawStatus(port, USERS + i)).isEqualTo(200);
            }
            assertThat(Http.listening(trainingMetrics)).isFalse(); // passive while training
            // a service stops by a signal: the archive (or the recording) is written on the way out
            assertThat(train.stop(Duration.ofSeconds(120))).as(train.outputText()).isEqualTo(143);
            assertTrained(recipe, train);
        }
        assemble(recipe, fixture);

        int metricsPort = Ports.free();
        try (ForkedJvm app = production(recipe, metricsPort).jar(fixture, Integer.toString(Ports.free())).start(FoundationIT.READY)) {
            int port = Integer.parseInt(app.await(FoundationIT.READY, Duration.ofSeconds(5)));
            for (int i = 0; i < 4; i++) {
                assertThat(Http.rawStatus(port, USERS + i)).isEqualTo(200);
            }
            assertThat(Http.scrape(metricsPort).value(PROCESSED, "code", "200", "method", "GET", "path", USERS)).isEqualTo(4.0);
            assertStartedFromArchive(recipe, app, JdkServerFixture.class.getName());
        }
    }

    /** Spring Boot's own CDS training run: the extracted jar, stopped once the context is refreshed. */
    @Test
    void theSpringTestAppStartsFromItsArchiveWithTheAgentAndCountsExactly() throws Exception {
        Recipe recipe = Recipe.of(jdk, dir);
        Path extracted = dir.resolve("extracted");
        ForkedJvm extract = ForkedJvm.on(jdk).jvmArg("-Djarmode=tools")
                .jar(Artifacts.testAppJar(), "extract", "--destination", extracted.toString()).start();
        assertThat(extract.waitFor(Duration.ofSeconds(60))).as(extract.outputText()).isZero();
        Path app = extracted.resolve("test-app.jar");

        ForkedJvm train = training(recipe, Ports.free()).jvmArg("-Dspring.context.exit=onRefresh")
                .jar(app, "--server.port=0").start();
        assertThat(train.waitFor(Duration.ofSeconds(180))).as(train.outputText()).isZero();
        assertTrained(recipe, train);
        assemble(recipe, app);

        int metricsPort = Ports.free();
        try (ForkedJvm service = production(recipe, metricsPort).jar(app, "--server.port=" + Ports.free()).start(TEST_APP_READY)) {
            int port = Integer.parseInt(service.await(TEST_APP_READY, Duration.ofSeconds(5)));
            for (String user : List.of("alice", "bob", "me")) {
                assertThat(Http.rawStatus(port, USERS + user)).isEqualTo(200);
            }
            assertThat(Http.scrape(metricsPort).value(PROCESSED, "code", "200", "method", "GET", "path", "/api/v2/users/{user}"))
                    .isEqualTo(3.0);
            assertStartedFromArchive(recipe, service, "dev.coderd.testapp.TestApp");
        }
    }

    /** A JVM that trains the archive: with the agent where the recipe says so. */
    private ForkedJvm.Builder training(Recipe recipe, int metricsPort) {
        ForkedJvm.Builder training = ForkedJvm.on(jdk);
        recipe.training().forEach(training::jvmArg);
        if (recipe.trainWithAgent()) {
            training.agent("port=" + metricsPort);
        }
        return training;
    }

    private static void assertTrained(Recipe recipe, ForkedJvm train) {
        // (a JDK 25 recording lists the agent's few premain classes as "Skipping ...: Unsupported location")
        assertThat(train.output()).noneMatch(l -> l.contains("VM warning") || l.contains("[error]"));
        if (recipe.trainWithAgent()) {
            assertThat(train.lines("[coderd-metrics-agent]")).containsExactly(PASSIVE);
        }
    }

    /** The second step of a two-step JDK 25 training: the cache from the recording. */
    private void assemble(Recipe recipe, Path jar) throws InterruptedException {
        if (recipe.assembly().isEmpty()) {
            return;
        }
        ForkedJvm.Builder assembly = ForkedJvm.on(jdk).agent("port=" + Ports.free());
        recipe.assembly().forEach(assembly::jvmArg);
        ForkedJvm assemble = assembly.jar(jar).start();
        assertThat(assemble.waitFor(Duration.ofSeconds(120))).as(assemble.outputText()).isZero();
        assertThat(assemble.lines("AOTCache creation is complete")).hasSize(1);
        assertThat(assemble.lines("[coderd-metrics-agent]")).isEmpty(); // no application: skipped silently
    }

    private ForkedJvm.Builder production(Recipe recipe, int metricsPort) {
        ForkedJvm.Builder production = ForkedJvm.on(jdk).agent("port=" + metricsPort);
        recipe.production().forEach(production::jvmArg);
        return production;
    }

    private void assertStartedFromArchive(Recipe recipe, ForkedJvm app, String mainClass) throws IOException {
        assertThat(app.output()).noneMatch(l -> l.contains("VM warning") || l.contains("[error]") || l.contains("[warning]"));
        if (jdk.feature() >= 25) {
            assertThat(app.lines("Using AOT-linked classes: true")).hasSize(1);
        }
        assertThat(classLoaded(mainClass)).endsWith(recipe.fromArchive());
    }

    /** The class-load log line of {@code className}. */
    private String classLoaded(String className) throws IOException {
        try (var lines = Files.lines(dir.resolve("classes.log"))) {
            return lines.filter(l -> l.contains(" " + className + " source: ")).findFirst().orElse("not loaded: " + className);
        }
    }
}

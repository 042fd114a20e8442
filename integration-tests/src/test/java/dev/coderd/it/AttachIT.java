package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.fixtures.JdkServerFixture;
import dev.coderd.it.fixtures.JettyFixture;
import dev.coderd.it.fixtures.ServletCatalogue;
import dev.coderd.it.support.Artifacts;
import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -jar coderd-metrics-agent.jar list|attach} against running fixtures, the command and the target on
 * the same JDK, 17 and 25: found by pid or by a glob of its main class, attached once (a second attach says so
 * and changes nothing), servlets already loaded instrumented, JDK 21+'s dynamic-agent warning named before it
 * appears, a runtime without {@code jdk.attach}, a JVM without a {@code SIGQUIT} handler, and another user's JVM.
 * The targets start with no JVM option at all, as most services do.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.coderd.it.support.Jdk#all")
class AttachIT {
    static final String READY = FoundationIT.READY;
    static final String JETTY = JettyFixture.class.getName();
    static final String JDK_SERVER = JdkServerFixture.class.getName();
    static final String PROCESSED = "coderd_api_requests_processed_total";
    static final String VERSION = System.getProperty("it.agent.version");
    /** A runtime without the jdk.attach module, as a jlink'd JRE image: what the command needs besides java.base. */
    static final String NO_JDK_ATTACH = "--limit-modules=java.base,java.instrument,java.management";

    @Parameter
    Jdk jdk;

    record Run(int exitCode, List<String> output) {}

    /** {@code java [jvmOptions] -jar <agent jar> <args>} on the JDK under test, to its end. */
    Run command(List<String> jvmOptions, String... args) throws InterruptedException {
        List<String> cmd = new ArrayList<>(jvmOptions);
        cmd.add("-jar");
        cmd.add(Artifacts.agentJar().toString());
        cmd.addAll(List.of(args));
        ForkedJvm run = ForkedJvm.on(jdk).tool("java", cmd.toArray(new String[0]));
        int code = run.waitFor(Duration.ofSeconds(60));
        return new Run(code, run.output());
    }

    Run command(String... args) throws InterruptedException {
        return command(List.of(), args);
    }

    /** A fixture started with exactly these JVM options (none: not even -Xshare), its port its only argument. */
    ForkedJvm fixture(Class<?> main, String... jvmOptions) {
        List<String> cmd = new ArrayList<>(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", Artifacts.fixtureClasspath(), main.getName(), Integer.toString(Ports.free())));
        ForkedJvm jvm = ForkedJvm.on(jdk).tool("java", cmd.toArray(new String[0]));
        jvm.await(READY, Duration.ofSeconds(60));
        return jvm;
    }

    static int port(ForkedJvm jvm) {
        return Integer.parseInt(jvm.await(READY, Duration.ofSeconds(5)));
    }

    static String listLine(long pid, String agent, String command) {
        return String.format(Locale.ROOT, "%-8d %-16s %s", pid, agent, command);
    }

    String dynamicAgentNote(long pid, String main) {
        return "note: pid " + pid + " (" + main + ") runs Java " + jdk.feature() + ", which prints \"WARNING: A Java agent "
                + "has been loaded dynamically\" on its standard error now; start it with -XX:+EnableDynamicAgentLoading to "
                + "allow this quietly (JEP 451). The agent works either way.";
    }

    static String attached(long pid, String main, int metricsPort) {
        return "attached coderd-metrics-agent " + VERSION + " to pid " + pid + " (" + main + ") with port=" + metricsPort
                + ": it serves /metrics on port " + metricsPort + "; the JVM's standard error has the line";
    }

    @Test
    void listShowsTheJvmThenAttachInstrumentsItsLoadedServletsAndASecondAttachChangesNothing() throws Exception {
        try (ForkedJvm app = fixture(JettyFixture.class)) {
            int appPort = port(app);
            String command = JETTY + " " + appPort;
            assertThat(Http.rawStatus(appPort, "/api/v2/users/before")).isEqualTo(200); // servlet classes loaded now

            Run list = command("list");
            assertThat(list.exitCode()).as(list.output().toString()).isZero();
            assertThat(list.output().get(0)).isEqualTo("PID      AGENT            MAIN CLASS OR JAR, ARGUMENTS");
            assertThat(list.output()).contains(listLine(app.pid(), "-", command));

            int metricsPort = Ports.free();
            Run attach = command("attach", Long.toString(app.pid()), "port=" + metricsPort);
            List<String> expected = new ArrayList<>();
            if (jdk.feature() >= 21) {
                expected.add(dynamicAgentNote(app.pid(), JETTY));
            }
            expected.add(attached(app.pid(), JETTY, metricsPort));
            assertThat(attach.output()).isEqualTo(expected);
            assertThat(attach.exitCode()).isZero();

            app.await("INFO serving metrics on", Duration.ofSeconds(15));
            for (int i = 0; i < 3; i++) {
                assertThat(Http.rawStatus(appPort, "/api/v2/users/" + i)).isEqualTo(200);
            }
            Exposition m = Http.scrape(metricsPort);
            assertThat(m.value(PROCESSED, "code", "200", "method", "GET", "path", "/api/v2/users/*")).isEqualTo(3.0);
            // the JVM's own warning, as the note said (JDK 21+), and nothing else
            List<String> warnings = app.lines("WARNING");
            if (jdk.feature() >= 21) {
                assertThat(warnings).first().asString().startsWith("WARNING: A Java agent has been loaded dynamically (");
            } else {
                assertThat(warnings).isEmpty();
            }

            assertThat(command("list").output()).contains(listLine(app.pid(), VERSION, command));
            int secondPort = Ports.free();
            Run again = command("attach", Long.toString(app.pid()), "port=" + secondPort);
            assertThat(again.output()).containsExactly("pid " + app.pid() + " (" + JETTY + ") already runs coderd-metrics-agent "
                    + VERSION + ": nothing to do. A JVM takes the agent once; to change its arguments, restart the JVM with them.");
            assertThat(again.exitCode()).isZero();
            assertThat(Http.listening(secondPort)).isFalse();
            assertThat(app.lines("[coderd-metrics-agent]")).containsExactly(
                    "[coderd-metrics-agent] INFO serving metrics on http://0.0.0.0:" + metricsPort + "/metrics" + ForkedJvm.INTAKE_OFF);
            assertThat(Http.scrape(metricsPort).value(PROCESSED, "code", "200", "method", "GET", "path", "/api/v2/users/*")).isEqualTo(3.0);
        }
    }

    @Test
    void withEnableDynamicAgentLoadingTheJvmStaysQuiet() throws Exception {
        try (ForkedJvm app = fixture(JdkServerFixture.class, "-XX:+EnableDynamicAgentLoading")) {
            int metricsPort = Ports.free();
            Run attach = command("attach", Long.toString(app.pid()), "port=" + metricsPort);
            assertThat(attach.output()).containsExactly(attached(app.pid(), JDK_SERVER, metricsPort));
            app.await("INFO serving metrics on", Duration.ofSeconds(15));
            assertThat(app.output()).noneMatch(l -> l.contains("WARNING"));
        }
    }

    /** A runtime without jdk.attach (a JRE image): byte-buddy-agent's HotSpot protocol over a UNIX socket instead. */
    @Test
    void aRuntimeWithoutJdkAttachListsAndAttachesThroughTheHotSpotProtocol() throws Exception {
        try (ForkedJvm app = fixture(JettyFixture.class)) {
            int appPort = port(app);
            assertThat(Http.rawStatus(appPort, "/api/v2/users/before")).isEqualTo(200);
            Run list = command(List.of(NO_JDK_ATTACH), "list");
            assertThat(list.output()).contains(listLine(app.pid(), "-", JETTY + " " + appPort));

            int metricsPort = Ports.free();
            Run attach = command(List.of(NO_JDK_ATTACH), "attach", Long.toString(app.pid()), "port=" + metricsPort);
            assertThat(attach.output()).last().isEqualTo(attached(app.pid(), JETTY, metricsPort));
            assertThat(attach.exitCode()).isZero();
            app.await("INFO serving metrics on", Duration.ofSeconds(15));
            for (int i = 0; i < 2; i++) {
                assertThat(Http.rawStatus(appPort, "/api/v2/users/" + i)).isEqualTo(200);
            }
            assertThat(Http.scrape(metricsPort).value(PROCESSED, "code", "200", "method", "GET", "path", "/api/v2/users/*")).isEqualTo(2.0);
            Run again = command(List.of(NO_JDK_ATTACH), "attach", Long.toString(app.pid()));
            assertThat(again.output()).singleElement().asString().contains("already runs coderd-metrics-agent " + VERSION);
            assertThat(Files.exists(Path.of("/proc/" + app.pid() + "/cwd/.attach_pid" + app.pid()))).isFalse();
        }
    }

    @Test
    void aJvmThatTheAttachSignalWouldKillIsLeftAlone() throws Exception {
        try (ForkedJvm app = fixture(JdkServerFixture.class, "-Xrs")) {
            Run attach = command("attach", Long.toString(app.pid()));
            assertThat(attach.exitCode()).isEqualTo(1);
            assertThat(attach.output()).containsExactly("pid " + app.pid() + " (" + JDK_SERVER + ") has no handler for SIGQUIT "
                    + "(it runs with -Xrs, or is not a HotSpot JVM): the signal that starts its attach listener would end it, so "
                    + "nothing was done. Give it the agent at start-up instead: -javaagent:" + Artifacts.agentJar());
            assertThat(Http.rawStatus(port(app), "/api/v2/users/a")).isEqualTo(200);
            assertThat(app.output()).noneMatch(l -> l.contains("coderd-metrics-agent"));
        }
    }

    /**
     * A glob names one JVM by its main class or jar. The fixtures run from a jar in a folder of this test's own, so
     * that the glob cannot match the JVMs of other builds on the machine.
     */
    @Test
    void aGlobAttachesToTheOneJvmItMatchesAndRefusesNoneOrSeveral(@TempDir Path dir) throws Exception {
        Path jar = Artifacts.fixtureJar(dir, JdkServerFixture.class, ServletCatalogue.class);
        String glob = dir + "/*.jar";
        try (ForkedJvm one = ForkedJvm.on(jdk).tool("java", "-jar", jar.toString(), Integer.toString(Ports.free()))) {
            one.await(READY, Duration.ofSeconds(60));
            Run none = command("attach", dir + "/*NoSuchMain");
            assertThat(none.exitCode()).isEqualTo(1);
            assertThat(none.output()).containsExactly("no running JVM's main class or jar matches '" + dir + "/*NoSuchMain' "
                    + "(`java -jar " + Artifacts.agentJar().getFileName() + " list` shows them)");

            int metricsPort = Ports.free();
            Run attach = command("attach", glob, "port=" + metricsPort);
            assertThat(attach.output()).last().isEqualTo(attached(one.pid(), jar.toString(), metricsPort));
            assertThat(attach.exitCode()).isZero();
            one.await("INFO serving metrics on", Duration.ofSeconds(15));
            assertThat(Http.scrape(metricsPort).value("coderd_metrics_agent_info", "version", VERSION)).isEqualTo(1.0);

            try (ForkedJvm two = ForkedJvm.on(jdk).tool("java", "-jar", jar.toString(), Integer.toString(Ports.free()))) {
                two.await(READY, Duration.ofSeconds(60));
                Run several = command("attach", glob);
                assertThat(several.exitCode()).isEqualTo(1);
                assertThat(several.output()).hasSize(3).first().isEqualTo("'" + glob + "' matches 2 JVMs; give the pid of one:");
                assertThat(several.output()).contains("  " + one.pid() + "  " + jar + " " + port(one), "  " + two.pid() + "  " + jar + " " + port(two));
                assertThat(two.output()).noneMatch(l -> l.contains("coderd-metrics-agent"));
            }
        }
    }

    /**
     * Another user's JVM (root only: it starts JVMs as {@code nobody}): root attaches, the jar copied where that user
     * can read it; {@code nobody} attaching to root's JVM is refused with the command that would work.
     */
    @Test
    void anotherUsersJvm(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "starting a JVM as another user needs root: the other-user half of the attach tests is skipped");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path fixtureJar = Artifacts.fixtureJar(dir, JdkServerFixture.class, ServletCatalogue.class);
        Path agentJar = Files.copy(Artifacts.agentJar(), dir.resolve("coderd-metrics-agent.jar"));
        String copied = "/tmp/coderd-metrics-agent-" + VERSION + ".jar";
        int nobody = 65534;
        ForkedJvm.Builder asNobody = ForkedJvm.on(jdk).asUser(nobody, nobody, dir);
        try (ForkedJvm app = asNobody.tool("java", "-jar", fixtureJar.toString(), Integer.toString(Ports.free()))) {
            app.await(READY, Duration.ofSeconds(60));
            int metricsPort = Ports.free();
            Run attach = command("attach", Long.toString(app.pid()), "port=" + metricsPort);
            String main = fixtureJar.toString();
            List<String> expected = new ArrayList<>();
            if (jdk.feature() >= 21) {
                expected.add(dynamicAgentNote(app.pid(), main));
            }
            expected.add("copied the agent jar to " + copied + " in the file system of pid " + app.pid() + " (" + main
                    + "), where its user (nobody) can read it");
            expected.add(attached(app.pid(), main, metricsPort));
            assertThat(attach.output()).isEqualTo(expected);
            app.await("INFO serving metrics on", Duration.ofSeconds(15));
            // (JDK server contexts created before an attach are not measured: the agent's own families say it runs)
            assertThat(Http.scrape(metricsPort).value("coderd_metrics_agent_info", "version", VERSION)).isEqualTo(1.0);
        } finally {
            Files.deleteIfExists(Path.of(copied));
        }

        try (ForkedJvm rootsApp = fixture(JdkServerFixture.class)) {
            ForkedJvm run = ForkedJvm.on(jdk).asUser(nobody, nobody, dir)
                    .tool("java", "-jar", agentJar.toString(), "attach", Long.toString(rootsApp.pid()));
            assertThat(run.waitFor(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(run.output()).containsExactly(
                    "pid " + rootsApp.pid() + " (" + JDK_SERVER + ") runs as user root: the Attach API lets only that user (or "
                            + "root) attach to it. Run the command as that user:",
                    "  sudo -u root java -jar " + agentJar + " attach " + rootsApp.pid());
            assertThat(rootsApp.output()).noneMatch(l -> l.contains("coderd-metrics-agent"));
        }
    }
}

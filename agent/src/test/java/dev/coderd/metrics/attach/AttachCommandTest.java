package dev.coderd.metrics.attach;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command's parts that need no other JVM; {@code AttachIT} attaches to real ones on JDK 17 and 25. */
class AttachCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return AttachCommand.run(args, new File("/opt/coderd-metrics-agent.jar"), "1.2.3",
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageErrorWithTheUsage() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith(
                "coderd-metrics-agent 1.2.3: Coder's Prometheus metrics for JVM services\n\n"
                        + "  java -javaagent:coderd-metrics-agent.jar[=key=value,...] -jar service.jar   at start-up\n"
                        + "  java -jar coderd-metrics-agent.jar list ");
        err.reset();
        assertThat(run("detach")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("unknown command 'detach'\n");
        err.reset();
        assertThat(run("attach")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("attach: which JVM? Give its pid or a glob of its main class or jar.\n");
        assertThat(run("help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(" attach <pid|main-class-glob> [key=value,...]");
    }

    @Test
    void theMarkerIsTheOnePremainSets() throws Exception {
        var field = Class.forName("dev.coderd.metrics.bootstrap.AgentPremain").getDeclaredField("LOADED_MARKER");
        field.setAccessible(true);
        assertThat(AttachCommand.LOADED_MARKER).isEqualTo(field.get(null));
        assertThat(LinuxProcess.PREMAIN_CLASS).isEqualTo("dev.coderd.metrics.bootstrap.AgentPremain");
    }

    @Test
    void aJavaCommandLineReadsAsJpsShowsIt() {
        assertThat(RunningJvm.commandOf(List.of("/usr/bin/java", "-Xmx1g", "-cp", "a.jar:b.jar", "com.example.Main", "--port", "80")))
                .isEqualTo("com.example.Main --port 80");
        assertThat(RunningJvm.commandOf(List.of("java", "-XX:+UseG1GC", "-jar", "/opt/app.jar", "--demo"))).isEqualTo("/opt/app.jar --demo");
        assertThat(RunningJvm.commandOf(List.of("java", "--module-path", "mods", "-m", "app/com.example.Main"))).isEqualTo("app/com.example.Main");
        assertThat(RunningJvm.commandOf(List.of("java", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "Main"))).isEqualTo("Main");
        assertThat(RunningJvm.commandOf(List.of("java", "-version"))).isNull();
        assertThat(RunningJvm.commandOf(List.of("/bin/bash", "-c", "java Main"))).isNull();
        assertThat(RunningJvm.commandOf(List.of())).isNull();
    }

    @Test
    void aGlobMatchesTheMainClassOrTheJarByPathOrFileName() {
        RunningJvm app = new RunningJvm(1, "dev.coderd.testapp.TestApp --demo");
        RunningJvm jar = new RunningJvm(2, "/opt/test-app.jar --demo");
        assertThat(app.matches("*TestApp")).isTrue();
        assertThat(app.matches("dev.coderd.*")).isTrue();
        assertThat(app.matches("*Demo")).isFalse();
        assertThat(jar.matches("test-app.jar")).isTrue();
        assertThat(jar.matches("/opt/*.jar")).isTrue();
        assertThat(jar.main()).isEqualTo("/opt/test-app.jar");
    }

    @Test
    void thisProcessAsProcSeesIt() {
        if (!LinuxProcess.available()) {
            return; // /proc is Linux's; elsewhere the command attaches instead of reading it
        }
        LinuxProcess self = LinuxProcess.self();
        assertThat(self.exists()).isTrue();
        assertThat(self.catchesSigquit()).isTrue(); // a HotSpot JVM's thread-dump handler
        assertThat(self.agentJarVersion()).isNull(); // no coderd-metrics-agent jar open in the test JVM
        assertThat(self.hasPerfData()).isEqualTo(!java.lang.management.ManagementFactory.getRuntimeMXBean()
                .getInputArguments().contains("-XX:-UsePerfData"));
        // surefire forks "java <options> -jar <booter jar> <its arguments>": the command is everything after -jar
        List<String> line = self.commandLine();
        String expected = String.join(" ", line.subList(line.indexOf("-jar") + 1, line.size()));
        assertThat(RunningJvm.commandOf(line)).isEqualTo(expected);
        assertThat(new LinuxProcess(Long.MAX_VALUE).exists()).isFalse();
        assertThat(new LinuxProcess(Long.MAX_VALUE).catchesSigquit()).isFalse();
    }
}

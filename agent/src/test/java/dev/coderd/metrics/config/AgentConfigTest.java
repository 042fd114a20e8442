package dev.coderd.metrics.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.core.AgentKeys;
import dev.coderd.metrics.http.HttpKeys;
import dev.coderd.metrics.instrumentation.http.servlet.ServletInstrumentation;
import dev.coderd.metrics.instrumentation.http.spring.SpringMvcInstrumentation;
import dev.coderd.metrics.jobs.JobKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
    private static AgentConfig load(String args, Properties properties, Map<String, String> env) {
        return AgentConfig.load(args, properties, env, AgentKeys.all());
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaults() {
        AgentConfig c = load(null, props(), Map.of());
        assertThat(c.enabled()).isTrue();
        assertThat(c.address()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(2112);
        assertThat(c.bindRetry()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.seriesLimit()).isEqualTo(2000);
        assertThat(c.get(HttpKeys.ROUTES)).isEmpty();
        assertThat(c.include()).isEmpty();
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void agentArgumentsBeatSystemPropertiesBeatEnvironmentBeatYaml(@TempDir Path dir) throws IOException {
        Path yaml = Files.writeString(dir.resolve("a.yaml"), """
                port: 9001
                address: 127.0.0.3
                bind-retry: 7s
                series-limit: 50
                """);
        AgentConfig c = load("port=9004,config=" + yaml,
                props("coderd.metrics.port", "9003", "coderd.metrics.address", "127.0.0.2"),
                Map.of("CODERD_METRICS_PORT", "9002", "CODERD_METRICS_ADDRESS", "127.0.0.4", "CODERD_METRICS_BIND_RETRY", "1s"));
        assertThat(c.port()).isEqualTo(9004);
        assertThat(c.address()).isEqualTo("127.0.0.2");
        assertThat(c.bindRetry()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.seriesLimit()).isEqualTo(50);
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void aListContinuesAcrossCommasInAgentArguments() {
        AgentConfig c = load("http.routes=/api/v2/users/{user},/api/v2/files/*,coderd.metrics.port=9100", props(), Map.of());
        assertThat(c.get(HttpKeys.ROUTES)).containsExactly("/api/v2/users/{user}", "/api/v2/files/*");
        assertThat(c.port()).isEqualTo(9100);
    }

    private static final ConfigKey<List<Rule>> TYPES = JobKeys.TYPES;
    private static final ConfigKey<List<String>> NAMES = ConfigKey.list("names", "", "Names.");

    private static AgentConfig withRules(String args, Properties properties, Map<String, String> env) {
        List<ConfigKey<?>> keys = new java.util.ArrayList<>(AgentKeys.all());
        keys.add(NAMES);
        return AgentConfig.load(args, properties, env, keys);
    }

    @Test
    void agentArgumentsCarryListsOfPatternValueRulesUntilTheNextKnownKey() {
        AgentConfig c = withRules("jobs.types=*Build*=build,*Reap*=reaper,port=9100,"
                + "http.routes=/a/{x},/b/*,coderd.metrics.names=x\\,y,z", props(), Map.of());
        assertThat(c.get(TYPES)).containsExactly(new Rule("*Build*", "build"), new Rule("*Reap*", "reaper"));
        assertThat(c.port()).isEqualTo(9100);
        assertThat(c.get(HttpKeys.ROUTES)).containsExactly("/a/{x}", "/b/*");
        assertThat(c.get(NAMES)).containsExactly("x,y", "z"); // \, is a literal comma
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void rulesReadTheSameFromEverySource(@TempDir Path dir) throws IOException {
        Path yaml = Files.writeString(dir.resolve("r.yaml"), """
                jobs:
                  types:
                    "*Build*": build
                    "com.example.Reaper,Old": reaper
                """);
        assertThat(withRules("config=" + yaml, props(), Map.of()).get(TYPES))
                .containsExactly(new Rule("*Build*", "build"), new Rule("com.example.Reaper,Old", "reaper"));
        assertThat(withRules(null, props("coderd.metrics.jobs.types", "*Build*=build,*Reap*=reaper"), Map.of()).get(TYPES))
                .containsExactly(new Rule("*Build*", "build"), new Rule("*Reap*", "reaper"));
        assertThat(withRules(null, props(), Map.of("CODERD_METRICS_JOBS_TYPES", "*Build*=build")).get(TYPES))
                .containsExactly(new Rule("*Build*", "build"));
        AgentConfig bad = withRules("jobs.types=*Build*", props(), Map.of());
        assertThat(bad.get(TYPES)).isEmpty();
        assertThat(bad.problems()).containsExactly("config: coderd.metrics.jobs.types='*Build*' (agent argument) is not valid: "
                + "expected comma-separated pattern=value rules ('*' in a pattern matches any text) "
                + "('*Build*' is not of the form pattern=value); using the default ''");
    }

    @Test
    void anUnknownKeyAfterAScalarIsReportedAfterAListItContinuesTheList() {
        AgentConfig c = withRules("port=9000,bogus=1,names=a,b=c", props(), Map.of());
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.get(NAMES)).containsExactly("a", "b=c");
        assertThat(c.problems()).containsExactly("config: unknown agent argument 'bogus' ignored");
    }

    @Test
    void nestedYamlKeysAndListsWork(@TempDir Path dir) throws IOException {
        Path yaml = Files.writeString(dir.resolve("a.yaml"), """
                http:
                  routes:
                    - /api/v2/users/{user}
                    - /api/v2/templates/{template}
                instrumentation:
                  servlet:
                    enabled: false
                """);
        AgentConfig c = load(null, props("coderd.metrics.config", yaml.toString()), Map.of());
        assertThat(c.get(HttpKeys.ROUTES)).containsExactly("/api/v2/users/{user}", "/api/v2/templates/{template}");
        assertThat(c.get(ServletInstrumentation.ENABLED)).isFalse();
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void eachBadValueGivesOneLineNamingKeyValueSourceAndExpectationAndKeepsTheDefault() {
        AgentConfig c = load("port=http,enabled=yes", props("coderd.metrics.series-limit", "0"),
                Map.of("CODERD_METRICS_HTTP_ROUTES", "api/v2/users"));
        assertThat(c.port()).isEqualTo(2112);
        assertThat(c.enabled()).isTrue();
        assertThat(c.seriesLimit()).isEqualTo(2000);
        assertThat(c.get(HttpKeys.ROUTES)).isEmpty();
        assertThat(c.problems()).containsExactly(
                "config: coderd.metrics.enabled='yes' (agent argument) is not valid: expected true or false; using the default 'true'",
                "config: coderd.metrics.port='http' (agent argument) is not valid: expected a port number from 1 to 65535; using the default '2112'",
                "config: coderd.metrics.series-limit='0' (system property) is not valid: expected a whole number of at least 1; using the default '2000'",
                "config: coderd.metrics.http.routes='api/v2/users' (environment variable CODERD_METRICS_HTTP_ROUTES) is not valid: "
                        + "expected comma-separated route templates starting with '/', '{name}' for one segment, a trailing '*' for the rest "
                        + "('api/v2/users' does not start with '/'); using the default ''");
    }

    @Test
    void unknownKeysAndUnreadableFilesAreReportedNotFatal(@TempDir Path dir) throws IOException {
        Path broken = Files.writeString(dir.resolve("b.yaml"), "port: [unclosed\n");
        AgentConfig c = load("prot=9000,config=" + broken, props(), Map.of());
        assertThat(c.port()).isEqualTo(2112);
        assertThat(c.problems()).hasSize(2);
        assertThat(c.problems().get(0)).isEqualTo("config: unknown agent argument 'prot' ignored");
        assertThat(c.problems().get(1)).startsWith("config: YAML file " + broken + " is not valid YAML (");
    }

    @Test
    void codersOwnPrometheusAddressIsReadUnlessOurKeysAreSet() {
        AgentConfig coder = load(null, props(), Map.of("CODER_PROMETHEUS_ADDRESS", "127.0.0.1:2113"));
        assertThat(coder.address()).isEqualTo("127.0.0.1");
        assertThat(coder.port()).isEqualTo(2113);
        AgentConfig ours = load("port=9000", props(), Map.of("CODER_PROMETHEUS_ADDRESS", ":2113"));
        assertThat(ours.address()).isEqualTo("0.0.0.0");
        assertThat(ours.port()).isEqualTo(9000);
        AgentConfig bad = load(null, props(), Map.of("CODER_PROMETHEUS_ADDRESS", "localhost"));
        assertThat(bad.port()).isEqualTo(2112);
        assertThat(bad.problems()).containsExactly(
                "config: CODER_PROMETHEUS_ADDRESS='localhost' is not valid: expected host:port such as 0.0.0.0:2112; ignored");
    }

    @Test
    void everyKeyHasOneNameScheme() {
        assertThat(CoreKeys.PORT.propertyName()).isEqualTo("coderd.metrics.port");
        assertThat(CoreKeys.PORT.envName()).isEqualTo("CODERD_METRICS_PORT");
        assertThat(SpringMvcInstrumentation.ENABLED.envName()).isEqualTo("CODERD_METRICS_INSTRUMENTATION_SPRING_MVC_ENABLED");
        assertThat(AgentKeys.all()).extracting(ConfigKey::shortName).doesNotHaveDuplicates();
    }

    @Test
    void mainFilterMatchesMainClassOrJarName() {
        assertThat(MainFilter.allows(List.of(), List.of(), "com.example.Server --x")).isTrue();
        assertThat(MainFilter.allows(List.of("*coderd*.jar"), List.of(), "/opt/coderd-1.2.jar --demo")).isTrue();
        assertThat(MainFilter.allows(List.of("*coderd*.jar"), List.of(), "com.example.Server")).isFalse();
        assertThat(MainFilter.allows(List.of(), List.of("*Migrations"), "com.example.DbMigrations")).isFalse();
    }
}

package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.support.Artifacts;
import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The test-app's data through Spring's {@code JdbcTemplate} and Spring Boot's HikariCP pool {@code coderd}:
 * each route's queries under its Spring MVC template, the pool's series, on JDK 17 and 25.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.coderd.it.support.Jdk#all")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SpringAppDatabaseContract {
    static final String QUERIES = DatabaseContract.QUERIES;
    static final String USER = "/api/v2/users/{user}";

    @Parameter
    Jdk jdk;
    ForkedJvm app;
    int appPort;
    int metricsPort;

    /** Arguments that point the test-app at its database (none: its embedded H2). */
    abstract List<String> databaseArgs();

    @BeforeParameterizedClassInvocation
    void start() {
        appPort = Ports.free();
        metricsPort = Ports.free();
        List<String> args = new ArrayList<>(databaseArgs());
        args.add("--server.port=" + appPort);
        app = ForkedJvm.on(jdk).agent("port=" + metricsPort).jar(Artifacts.testAppJar(), args.toArray(new String[0]))
                .start("test-app ready on port (\\d+)");
    }

    @AfterParameterizedClassInvocation
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void eachRoutesQueriesCountUnderItsTemplate() {
        Exposition before = Http.scrape(metricsPort);
        for (String user : List.of("alice", "bob", "me")) {
            assertThat(Http.rawStatus(appPort, "/api/v2/users/" + user)).isEqualTo(200);
        }
        assertThat(Http.rawStatus(appPort, "/api/v2/users/nobody")).isEqualTo(404);
        assertThat(Http.rawStatus(appPort, "/api/v2/workspaces")).isEqualTo(200);
        assertThat(Http.rawStatus(appPort, "/api/v2/workspaces/dev")).isEqualTo(200);
        assertThat(Http.rawStatus(appPort, "/api/v2/licenses")).isEqualTo(200);
        Exposition after = Http.scrape(metricsPort);

        assertThat(after.delta(before, QUERIES, "query", "SELECT users", "route", USER)).isEqualTo(4.0);
        assertThat(after.delta(before, QUERIES, "query", "UPDATE users", "route", USER)).isEqualTo(3.0);
        assertThat(after.delta(before, QUERIES, "query", "SELECT workspaces", "route", "/api/v2/workspaces")).isEqualTo(1.0);
        assertThat(after.delta(before, QUERIES, "query", "UPDATE workspaces", "route", "/api/v2/workspaces/{workspace}")).isEqualTo(1.0);
        assertThat(after.delta(before, QUERIES, "query", "SELECT licenses", "route", "/api/v2/licenses")).isEqualTo(1.0);
    }

    @Test
    void springBootsPoolShowsItsSeries() {
        Exposition m = Http.scrape(metricsPort);
        assertThat(m.value("go_sql_max_open_connections", "db_name", "coderd")).isEqualTo(10.0);
        assertThat(m.value("go_sql_in_use_connections", "db_name", "coderd")).isEqualTo(0.0);
        assertThat(m.value("go_sql_open_connections", "db_name", "coderd"))
                .isEqualTo(m.value("go_sql_idle_connections", "db_name", "coderd"));
        assertThat(m.value("go_sql_wait_count_total", "db_name", "coderd")).isEqualTo(0.0);
    }
}

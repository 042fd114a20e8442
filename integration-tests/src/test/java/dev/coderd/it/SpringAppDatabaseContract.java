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
 * each route's queries under its Spring MVC template, the pool's series, the license gauges read from its own
 * tables (SQL gauges every second), on JDK 17 and 25.
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
        app = ForkedJvm.on(jdk).agent("port=" + metricsPort + ",sql-gauges.interval=1s").jar(Artifacts.testAppJar(), args.toArray(new String[0]))
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

    static final List<String> LICENSE = List.of("coderd_license_expires_at_unix", "coderd_license_issued_at_unix",
            "coderd_license_time_until_expires_days", "coderd_license_user_count", "coderd_license_user_limit");

    @Test
    void theLicenseGaugesFollowTheLicenseAndTheActiveUsersAndTheirQueriesAreInNoSeries() throws InterruptedException {
        String api = "http://127.0.0.1:" + appPort + "/api/v2";
        for (String id : licenseIds(Http.get(api + "/licenses").body())) { // the other JDK's, on PostgreSQL
            assertThat(Http.send("DELETE", api + "/licenses/" + id).statusCode()).isEqualTo(200);
        }
        Exposition none = Http.awaitScrape(metricsPort, e -> LICENSE.stream().allMatch(f -> e.samples(f).isEmpty()));
        assertThat(LICENSE).allSatisfy(f -> assertThat(none.samples(f)).as(f).isEmpty()); // absent, not zero
        long expires = System.currentTimeMillis() / 1000 + 30 * 86_400;
        String claims = "{\"iat\":1700000000,\"license_expires\":" + expires + ",\"features\":{\"user_limit\":25}}";
        String jwt = "eyJhbGciOiJFZERTQSJ9." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
        long posted = System.currentTimeMillis();
        assertThat(Http.post(api + "/licenses", "{\"license\":\"" + jwt + "\"}").statusCode()).isEqualTo(201);
        Exposition m = Http.awaitScrape(metricsPort, e -> Double.valueOf(25).equals(e.value("coderd_license_user_limit")));
        long seen = System.currentTimeMillis();
        assertThat(m.value("coderd_license_user_limit")).isEqualTo(25.0);
        assertThat(m.value("coderd_license_issued_at_unix")).isEqualTo(1.7e9);
        assertThat(m.value("coderd_license_expires_at_unix")).isEqualTo((double) expires);
        assertThat(m.value("coderd_license_user_count")).isEqualTo(4.0); // admin, alice, bob, me
        assertThat(m.value("coderd_license_time_until_expires_days"))
                .isBetween((expires * 1000d - seen) / 86_400_000d, (expires * 1000d - posted) / 86_400_000d);
        assertThat(m.help("coderd_license_user_count")).isEqualTo("Number of active (non-dormant) users.");
        assertThat(m.type("coderd_license_user_count")).isEqualTo("gauge");

        String carol = "carol" + appPort;
        assertThat(Http.post(api + "/users", "{\"username\":\"" + carol + "\"}").statusCode()).isEqualTo(201);
        assertThat(Http.awaitScrape(metricsPort, e -> Double.valueOf(5).equals(e.value("coderd_license_user_count"))).value("coderd_license_user_count"))
                .isEqualTo(5.0);
        assertThat(Http.send("PUT", api + "/users/" + carol + "/status/suspend").statusCode()).isEqualTo(200);
        assertThat(Http.send("PUT", api + "/users/alice/status/dormant").statusCode()).isEqualTo(200);
        Exposition fewer = Http.awaitScrape(metricsPort, e -> Double.valueOf(3).equals(e.value("coderd_license_user_count")));
        assertThat(fewer.value("coderd_license_user_count")).isEqualTo(3.0);
        assertThat(Http.send("PUT", api + "/users/alice/status/activate").statusCode()).isEqualTo(200);
        assertThat(Http.awaitScrape(metricsPort, e -> Double.valueOf(4).equals(e.value("coderd_license_user_count"))).value("coderd_license_user_count"))
                .isEqualTo(4.0);

        // the agent's own queries (five a second here) count nowhere: not outside a request, not in the pool's waits
        Exposition before = Http.scrape(metricsPort);
        Thread.sleep(3_000);
        Exposition after = Http.scrape(metricsPort);
        assertThat(after.value(QUERIES, "query", "SELECT licenses", "route", "")).isNull();
        assertThat(after.delta(before, QUERIES, "query", "SELECT users", "route", "")).isEqualTo(0.0);
        assertThat(after.value("go_sql_wait_count_total", "db_name", "coderd")).isEqualTo(0.0);
        assertThat(LICENSE).allSatisfy(f -> assertThat(after.value("coderd_metrics_agent_sql_query_failures_total", "gauge", f))
                .as(f).isEqualTo(0.0));

        String id = licenseIds(Http.get(api + "/licenses").body()).get(0);
        assertThat(Http.send("DELETE", api + "/licenses/" + id).statusCode()).isEqualTo(200);
        Exposition gone = Http.awaitScrape(metricsPort, e -> LICENSE.stream().allMatch(f -> e.samples(f).isEmpty()));
        assertThat(LICENSE).allSatisfy(f -> assertThat(gone.samples(f)).as(f).isEmpty());
    }

    /** The ids in GET /api/v2/licenses' answer. */
    static List<String> licenseIds(String json) {
        return java.util.regex.Pattern.compile("\"id\":(\\d+)").matcher(json).results().map(r -> r.group(1)).toList();
    }

}

package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.fixtures.DatabaseFixture;
import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The database contract ({@code coderd_db_sql_*}, {@code go_sql_*}) with exact values, on one real database
 * per subclass, against {@link DatabaseFixture} forked with the agent on JDK 17 and JDK 25: a JDK HTTP server
 * whose handlers use a HikariCP pool and a plain {@code DriverManager} connection. A twin of the fixture runs
 * without the agent, on a database of its own, so that bad input can be compared with what the application
 * sees without the agent. Each test measures the change its own requests made (a delta between two scrapes).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.coderd.it.support.Jdk#all")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseContract {
    static final String QUERIES = "coderd_db_sql_queries_executed_total";
    static final String LATENCY = "coderd_db_sql_query_latencies_ms";
    static final String POOL = "fixture";

    @Parameter
    Jdk jdk;
    ForkedJvm app;
    ForkedJvm twin;
    int appPort;
    int twinPort;
    int metricsPort;

    /** A JDBC URL, user and password of a database for one fixture; {@code name} tells the two fixtures apart. */
    abstract List<String> database(String name);

    @BeforeParameterizedClassInvocation
    void start() {
        appPort = Ports.free();
        twinPort = Ports.free();
        metricsPort = Ports.free();
        String agentDb = jdk.name().replaceAll("\\W", "").toLowerCase() + "_agent";
        String twinDb = jdk.name().replaceAll("\\W", "").toLowerCase() + "_twin";
        app = fixture(ForkedJvm.on(jdk).agent("port=" + metricsPort), appPort, database(agentDb));
        twin = fixture(ForkedJvm.on(jdk), twinPort, database(twinDb));
    }

    private static ForkedJvm fixture(ForkedJvm.Builder builder, int port, List<String> db) {
        return builder.main(DatabaseFixture.class, Integer.toString(port), db.get(0), db.get(1), db.get(2))
                .start("fixture ready on port (\\d+)");
    }

    @AfterParameterizedClassInvocation
    void stop() {
        for (ForkedJvm jvm : new ForkedJvm[] {app, twin}) {
            if (jvm != null) {
                jvm.close();
            }
        }
    }

    String get(int port, String path) {
        HttpResponse<String> r = Http.get("http://127.0.0.1:" + port + path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    Exposition scrape() {
        return Http.scrape(metricsPort);
    }

    /** A scrape once {@code condition} holds, or the last one after 5 s. */
    Exposition scrapeUntil(Predicate<Exposition> condition) throws InterruptedException {
        return scrapeUntil(condition, Duration.ofSeconds(5));
    }

    Exposition scrapeUntil(Predicate<Exposition> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exposition m = scrape();
        while (!condition.test(m) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            m = scrape();
        }
        return m;
    }

    @Test
    void queriesInsideARequestCountOnceEachUnderTheRequestsRoute() {
        Exposition before = scrape();
        for (int i = 0; i < 3; i++) {
            get(appPort, "/db/users");
        }
        Exposition after = scrape();
        assertThat(after.delta(before, QUERIES, "query", "SELECT users", "route", "/db/users")).isEqualTo(3.0);
        assertThat(after.delta(before, QUERIES, "query", "UPDATE users", "route", "/db/users")).isEqualTo(3.0);
        assertThat(after.delta(before, LATENCY + "_count", "query", "SELECT users")).isEqualTo(3.0);
        assertThat(after.delta(before, LATENCY + "_count", "query", "UPDATE users")).isEqualTo(3.0);
        assertThat(totalDelta(after, before)).as("nothing else ran: no proxy, driver-internal or validation query").isEqualTo(6.0);
    }

    @Test
    void queriesOnABackgroundThreadCarryAnEmptyRoute() {
        Exposition before = scrape();
        get(appPort, "/db/background");
        get(appPort, "/db/background");
        Exposition after = scrape();
        assertThat(after.delta(before, QUERIES, "query", "SELECT licenses", "route", "")).isEqualTo(2.0);
        assertThat(after.delta(before, QUERIES, "query", "SELECT licenses", "route", "/db/background")).isEqualTo(0.0);
        assertThat(totalDelta(after, before)).isEqualTo(2.0);
    }

    @Test
    void aBatchCountsOnceNamedByItsSql() {
        Exposition before = scrape();
        get(appPort, "/db/batch");
        Exposition after = scrape();
        assertThat(after.delta(before, QUERIES, "query", "INSERT workspace_builds", "route", "/db/batch")).isEqualTo(1.0);
        assertThat(after.delta(before, QUERIES, "query", "INSERT audit_logs", "route", "/db/batch")).isEqualTo(1.0);
        assertThat(totalDelta(after, before)).isEqualTo(2.0);
    }

    @Test
    void aPlainDriverManagerConnectionCountsToo() {
        Exposition before = scrape();
        get(appPort, "/db/driver-manager");
        Exposition after = scrape();
        assertThat(after.delta(before, QUERIES, "query", "SELECT workspaces", "route", "/db/driver-manager")).isEqualTo(1.0);
        assertThat(after.delta(before, QUERIES, "query", "UPDATE workspaces", "route", "/db/driver-manager")).isEqualTo(1.0);
        assertThat(totalDelta(after, before)).isEqualTo(2.0);
    }

    @Test
    void poolGaugesShowConnectionsWhileTheyAreHeld() throws InterruptedException {
        Exposition idle = scrapeUntil(m -> Double.valueOf(2.0).equals(m.value("go_sql_idle_connections", "db_name", POOL)));
        assertThat(idle.value("go_sql_max_open_connections", "db_name", POOL)).isEqualTo(2.0);
        assertThat(idle.value("go_sql_open_connections", "db_name", POOL)).isEqualTo(2.0);
        assertThat(idle.value("go_sql_in_use_connections", "db_name", POOL)).isEqualTo(0.0);
        assertThat(idle.value("go_sql_idle_connections", "db_name", POOL)).isEqualTo(2.0);

        assertThat(get(appPort, "/db/hold?n=2")).isEqualTo("holding 2");
        Exposition busy = scrape();
        assertThat(busy.value("go_sql_in_use_connections", "db_name", POOL)).isEqualTo(2.0);
        assertThat(busy.value("go_sql_idle_connections", "db_name", POOL)).isEqualTo(0.0);
        assertThat(busy.value("go_sql_open_connections", "db_name", POOL)).isEqualTo(2.0);
        assertThat(get(appPort, "/db/release")).isEqualTo("released 2");
        Exposition released = scrape();
        assertThat(released.value("go_sql_in_use_connections", "db_name", POOL)).isEqualTo(0.0);
        assertThat(released.value("go_sql_idle_connections", "db_name", POOL)).isEqualTo(2.0);
        // HikariCP never closes a returned connection because too many are idle (Go's SetMaxIdleConns): left out
        assertThat(released.value("go_sql_max_idle_closed_total", "db_name", POOL)).isNull();
        assertThat(released.value("go_sql_max_idle_time_closed_total", "db_name", POOL)).isEqualTo(0.0);
        assertThat(released.value("go_sql_max_lifetime_closed_total", "db_name", POOL)).isEqualTo(0.0);
    }

    @Test
    void aPoolStartedAfterTheFirstScrapeAppearsAndGoesWhenItShutsDown() {
        assertThat(scrape().value("go_sql_max_open_connections", "db_name", "late")).isNull();
        Exposition before = scrape();
        assertThat(get(appPort, "/db/late-pool?open")).isEqualTo("opened");
        Exposition open = scrape();
        assertThat(open.value("go_sql_max_open_connections", "db_name", "late")).isEqualTo(1.0);
        assertThat(open.value("go_sql_open_connections", "db_name", "late")).isEqualTo(1.0);
        assertThat(open.value("go_sql_wait_count_total", "db_name", "late")).isEqualTo(0.0);
        assertThat(open.delta(before, QUERIES, "query", "SELECT workspaces", "route", "/db/late-pool")).isEqualTo(1.0);
        assertThat(get(appPort, "/db/late-pool?close")).isEqualTo("closed");
        Exposition closed = scrape();
        for (String family : List.of("go_sql_max_open_connections", "go_sql_open_connections", "go_sql_in_use_connections",
                "go_sql_idle_connections", "go_sql_wait_count_total", "go_sql_wait_duration_seconds_total",
                "go_sql_max_idle_time_closed_total", "go_sql_max_lifetime_closed_total")) {
            assertThat(closed.value(family, "db_name", "late")).as(family).isNull();
            assertThat(closed.value(family, "db_name", POOL)).as(family).isNotNull();
        }
    }

    @Test
    void idleConnectionsRetiredAfterIdleTimeoutCountAsIdleTimeClosings() throws InterruptedException {
        assertThat(get(appPort, "/db/idle-pool")).isEqualTo("2 borrowed");
        // idleTimeout is 10 s (HikariCP's least); the housekeeper looks every 500 ms
        Exposition m = scrapeUntil(e -> Double.valueOf(2.0).equals(e.value("go_sql_max_idle_time_closed_total", "db_name", "idle")),
                Duration.ofSeconds(30));
        assertThat(m.value("go_sql_max_idle_time_closed_total", "db_name", "idle")).isEqualTo(2.0);
        assertThat(m.value("go_sql_max_lifetime_closed_total", "db_name", "idle")).isEqualTo(0.0);
        assertThat(scrapeUntil(e -> Double.valueOf(0.0).equals(e.value("go_sql_open_connections", "db_name", "idle")))
                .value("go_sql_open_connections", "db_name", "idle")).isEqualTo(0.0);
    }

    @Test
    void fourBorrowersOfAPoolOfTwoMakeTwoWaits() {
        Exposition before = scrape();
        assertThat(get(appPort, "/db/exhaust")).isEqualTo("4 borrowed");
        Exposition after = scrape();
        assertThat(after.delta(before, "go_sql_wait_count_total", "db_name", POOL)).isEqualTo(2.0);
        // the two that waited each waited for a 300 ms holder, less however late the scheduler started them after
        // the holders (up to ~100 ms each on a loaded 2-core machine): between 0.2 s and a generous 5 s in all
        assertThat(after.delta(before, "go_sql_wait_duration_seconds_total", "db_name", POOL)).isBetween(0.2, 5.0);
    }

    @Test
    void badInputLeavesTheApplicationSeeingWhatItSeesWithoutTheAgent() {
        Exposition before = scrape();
        for (String badCase : List.of("unparseable", "duplicate-key", "closed-twice", "huge")) {
            String withAgent = get(appPort, "/db/bad?case=" + badCase);
            String without = get(twinPort, "/db/bad?case=" + badCase);
            assertThat(withAgent).as(badCase).isEqualTo(without).doesNotContain("no such case");
        }
        Exposition after = scrape();
        assertThat(after.delta(before, QUERIES, "query", "OTHER", "route", "/db/bad")).as("unparseable, 1 MB").isEqualTo(2.0);
        assertThat(after.delta(before, QUERIES, "query", "INSERT users", "route", "/db/bad")).isEqualTo(1.0);
        assertThat(after.delta(before, QUERIES, "query", "SELECT", "route", "/db/bad")).as("on a closed statement").isEqualTo(1.0);
        assertThat(totalDelta(after, before)).isEqualTo(4.0);
        assertThat(after.value("coderd_metrics_agent_advice_errors_total", "instrumentation", "jdbc")).isEqualTo(0.0);
        assertThat(after.value("coderd_metrics_agent_advice_errors_total", "instrumentation", "hikaricp")).isEqualTo(0.0);
    }

    @Test
    void theFamiliesCarryTheContractsHelpTypeAndBuckets() {
        get(appPort, "/db/users");
        Exposition m = scrape();
        assertThat(m.help(QUERIES)).isEqualTo("The total number of executed SQL queries");
        assertThat(m.type(QUERIES)).isEqualTo("counter");
        assertThat(m.help(LATENCY)).isEqualTo("Latency distribution of SQL queries in milliseconds");
        assertThat(m.type(LATENCY)).isEqualTo("histogram");
        assertThat(m.samples(LATENCY + "_bucket").stream().filter(s -> s.labels().get("query").equals("SELECT users"))
                .map(s -> s.labels().get("le")).toList())
                .containsExactly("0.1", "0.5", "1.0", "5.0", "10.0", "25.0", "50.0", "100.0", "500.0", "1000.0", "5000.0",
                        "10000.0", "30000.0", "+Inf");
        assertThat(m.help("go_sql_max_open_connections")).isEqualTo("Maximum number of open connections to the database.");
        assertThat(m.help("go_sql_wait_duration_seconds_total")).isEqualTo("The total time blocked waiting for a new connection.");
        assertThat(m.type("go_sql_wait_count_total")).isEqualTo("counter");
        assertThat(m.type("go_sql_in_use_connections")).isEqualTo("gauge");
    }

    private static double totalDelta(Exposition after, Exposition before) {
        double total = 0;
        for (Exposition.Sample s : after.samples(QUERIES)) {
            total += after.delta(before, QUERIES, "query", s.labels().get("query"), "route", s.labels().get("route"));
        }
        return total;
    }
}

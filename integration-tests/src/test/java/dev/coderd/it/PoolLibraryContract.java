package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.fixtures.PoolLibraryFixture;
import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code go_sql_*} and {@code coderd_db_sql_*} with exact values for a pool library other than HikariCP (one
 * subclass per library) on H2, against {@link PoolLibraryFixture} forked with the agent on JDK 17 and JDK 25:
 * the pool's validation query (on every borrow and return) and init SQL never count, its gauges read live,
 * a borrow that blocks at the maximum is a wait, closings by reason are left out (these libraries do not say
 * why they close a connection), and a closed data source's series go.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.coderd.it.support.Jdk#all")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PoolLibraryContract {
    static final String QUERIES = "coderd_db_sql_queries_executed_total";

    @Parameter
    Jdk jdk;
    ForkedJvm app;
    int appPort;
    int metricsPort;

    /** The library's data source class. */
    abstract String dataSourceClass();

    /** The agent's name for the library's instrumentation. */
    abstract String instrumentation();

    /** {@code db_name} of the fixture's first and second pool. */
    abstract List<String> poolNames();

    @BeforeParameterizedClassInvocation
    void start() {
        appPort = Ports.free();
        metricsPort = Ports.free();
        String db = "jdbc:h2:mem:pools_" + jdk.name().replaceAll("\\W", "").toLowerCase() + ";DB_CLOSE_DELAY=-1";
        app = ForkedJvm.on(jdk).agent("port=" + metricsPort)
                .main(PoolLibraryFixture.class, Integer.toString(appPort), dataSourceClass(), db)
                .start("pool fixture ready on port (\\d+)");
    }

    @AfterParameterizedClassInvocation
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    String get(String path) {
        HttpResponse<String> r = Http.get("http://127.0.0.1:" + appPort + path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    Exposition scrape() {
        return Http.scrape(metricsPort);
    }

    @Test
    void onlyTheApplicationsStatementsCountNotThePoolsValidationOrInitSql() {
        Exposition before = scrape();
        for (int i = 0; i < 3; i++) {
            assertThat(get("/users")).isEqualTo("ok");
        }
        Exposition after = scrape();
        assertThat(after.delta(before, QUERIES, "query", "SELECT users", "route", "/users")).isEqualTo(3.0);
        assertThat(after.delta(before, QUERIES, "query", "UPDATE users", "route", "/users")).isEqualTo(3.0);
        double total = 0;
        for (Exposition.Sample s : after.samples(QUERIES)) {
            total += after.delta(before, QUERIES, "query", s.labels().get("query"), "route", s.labels().get("route"));
        }
        assertThat(total).as("no validation query (6 borrows and returns) and no init SQL").isEqualTo(6.0);
    }

    @Test
    void poolGaugesShowConnectionsWhileTheyAreHeldAndClosingsAreLeftOut() {
        assertThat(get("/hold?n=2")).isEqualTo("holding 2");
        Exposition busy = scrape();
        assertThat(busy.value("go_sql_max_open_connections", "db_name", poolNames().get(0))).isEqualTo(2.0);
        assertThat(busy.value("go_sql_in_use_connections", "db_name", poolNames().get(0))).isEqualTo(2.0);
        assertThat(busy.value("go_sql_idle_connections", "db_name", poolNames().get(0))).isEqualTo(0.0);
        assertThat(busy.value("go_sql_open_connections", "db_name", poolNames().get(0))).isEqualTo(2.0);
        assertThat(get("/release")).isEqualTo("released 2");
        Exposition released = scrape();
        assertThat(released.value("go_sql_in_use_connections", "db_name", poolNames().get(0))).isEqualTo(0.0);
        assertThat(released.value("go_sql_idle_connections", "db_name", poolNames().get(0))).isEqualTo(2.0);
        assertThat(released.value("go_sql_open_connections", "db_name", poolNames().get(0))).isEqualTo(2.0);
        // these libraries close connections through one path without saying why: the three closing series are left out
        for (String family : List.of("go_sql_max_idle_closed_total", "go_sql_max_idle_time_closed_total",
                "go_sql_max_lifetime_closed_total")) {
            assertThat(released.value(family, "db_name", poolNames().get(0))).as(family).isNull();
        }
    }

    @Test
    void fourBorrowersOfAPoolOfTwoMakeTwoWaits() {
        Exposition before = scrape();
        assertThat(get("/exhaust")).isEqualTo("4 borrowed");
        Exposition after = scrape();
        assertThat(after.delta(before, "go_sql_wait_count_total", "db_name", poolNames().get(0))).isEqualTo(2.0);
        // each of the two waited for a 300 ms holder, less however late the scheduler started it: 0.2 s to 5 s in all
        assertThat(after.delta(before, "go_sql_wait_duration_seconds_total", "db_name", poolNames().get(0))).isBetween(0.2, 5.0);
    }

    @Test
    void aSecondDataSourceAppearsWithItsPoolAndGoesWhenItCloses() {
        assertThat(scrape().value("go_sql_max_open_connections", "db_name", poolNames().get(1))).isNull();
        assertThat(get("/late?open")).isEqualTo("opened");
        Exposition open = scrape();
        assertThat(open.value("go_sql_max_open_connections", "db_name", poolNames().get(1))).isEqualTo(1.0);
        assertThat(open.value("go_sql_idle_connections", "db_name", poolNames().get(1))).isEqualTo(1.0);
        assertThat(open.value("go_sql_wait_count_total", "db_name", poolNames().get(1))).isEqualTo(0.0);
        assertThat(get("/late?close")).isEqualTo("closed");
        Exposition closed = scrape();
        for (String family : List.of("go_sql_max_open_connections", "go_sql_open_connections", "go_sql_in_use_connections",
                "go_sql_idle_connections", "go_sql_wait_count_total", "go_sql_wait_duration_seconds_total")) {
            assertThat(closed.value(family, "db_name", poolNames().get(1))).as(family).isNull();
            assertThat(closed.value(family, "db_name", poolNames().get(0))).as(family).isNotNull();
        }
        assertThat(closed.value("coderd_metrics_agent_advice_errors_total", "instrumentation", instrumentation())).isEqualTo(0.0);
    }
}

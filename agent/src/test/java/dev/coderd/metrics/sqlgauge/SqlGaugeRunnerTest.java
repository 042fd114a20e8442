package dev.coderd.metrics.sqlgauge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.db.PoolRecorder;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.Expositions;
import dev.coderd.metrics.metrics.SqlGaugeMetrics;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runner against a real H2 database with the test-app's license schema, on a hand-moved clock. */
class SqlGaugeRunnerTest {
    private static final long SECOND = 1_000_000_000L;
    /** The wall clock of every run: 2027-01-15T08:00:00Z. */
    private static final long WALL_MILLIS = 1_800_000_000_000L;

    private final AgentRegistry registry = new AgentRegistry(2000);
    private final long[] now = {100 * SECOND};
    private final JdbcDataSource h2 = new JdbcDataSource();
    private final AppDataSource app = new AppDataSource();
    private final PoolRecorder pools = new PoolRecorder(10, () -> now[0]);
    private double idle = 2;

    @BeforeEach
    void schema() throws SQLException {
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        sql("CREATE TABLE users (username VARCHAR(64) PRIMARY KEY, status VARCHAR(16) DEFAULT 'active' NOT NULL)",
                "INSERT INTO users (username) VALUES ('admin'), ('alice'), ('bob')",
                "CREATE TABLE licenses (id INT PRIMARY KEY, issued_at TIMESTAMP WITH TIME ZONE NOT NULL, "
                        + "expires_at TIMESTAMP WITH TIME ZONE NOT NULL, user_limit INT NOT NULL)");
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private SqlGaugeRunner runner(List<SqlGauge> gauges) {
        return runner(gauges, ConnectionSource.of(app, pools));
    }

    private SqlGaugeRunner runner(List<SqlGauge> gauges, ConnectionSource source) {
        SqlGaugeMetrics metrics = new SqlGaugeMetrics(registry, gauges.stream().map(SqlGauge::name).toList());
        SqlGaugeRunner runner = new SqlGaugeRunner(gauges, source, Duration.ofSeconds(30),
                Duration.ofSeconds(5), 3, metrics, () -> now[0], () -> WALL_MILLIS);
        metrics.expose(runner);
        return runner;
    }

    private String exposed() {
        return Expositions.text(registry.registry(), "coderd_license_", "coderd_templates", SqlGaugeMetrics.FAILURES);
    }

    @Test
    void theLicenseGaugesAreAbsentWithoutALicenseAndReadItsRowOnceThereIsOne() throws SQLException {
        SqlGaugeRunner runner = runner(SqlGaugeDefinitions.license());
        runner.runDue();                                   // the application has not used its data source yet
        app.offer(h2);
        assertThat(runner.runDue()).isEqualTo(now[0] + SECOND); // nothing ran: asked again in a second
        now[0] += SECOND;
        assertThat(runner.runDue()).isEqualTo(now[0] + 30 * SECOND); // ran: no license, no row
        assertThat(exposed()).doesNotContain("# TYPE coderd_license_");

        sql("INSERT INTO licenses VALUES (1, TIMESTAMP WITH TIME ZONE '2023-11-14 22:13:20Z', "
                + "TIMESTAMP WITH TIME ZONE '2027-01-25T20:00:00Z', 25)",
                "INSERT INTO users (username, status) VALUES ('carol', 'suspended'), ('dave', 'dormant')");
        now[0] += 29 * SECOND;
        runner.runDue();                                   // not due yet: still absent
        assertThat(exposed()).doesNotContain("# TYPE coderd_license_");
        now[0] += SECOND;
        runner.runDue();
        assertThat(exposed()).isEqualTo("""
                # HELP coderd_license_expires_at_unix Unix timestamp of the license expiry date.
                # TYPE coderd_license_expires_at_unix gauge
                coderd_license_expires_at_unix 1.8009072E9
                # HELP coderd_license_issued_at_unix Unix timestamp of the license issue date.
                # TYPE coderd_license_issued_at_unix gauge
                coderd_license_issued_at_unix 1.7E9
                # HELP coderd_license_time_until_expires_days Number of days until the license expires.
                # TYPE coderd_license_time_until_expires_days gauge
                coderd_license_time_until_expires_days 10.5
                # HELP coderd_license_user_count Number of active (non-dormant) users.
                # TYPE coderd_license_user_count gauge
                coderd_license_user_count 3.0
                # HELP coderd_license_user_limit Number of users allowed by the license.
                # TYPE coderd_license_user_limit gauge
                coderd_license_user_limit 25.0
                # HELP coderd_metrics_agent_sql_query_failures_total Runs of an SQL gauge's query that failed (the gauge is absent until one succeeds), by gauge.
                # TYPE coderd_metrics_agent_sql_query_failures_total counter
                coderd_metrics_agent_sql_query_failures_total{gauge="coderd_license_expires_at_unix"} 0.0
                coderd_metrics_agent_sql_query_failures_total{gauge="coderd_license_issued_at_unix"} 0.0
                coderd_metrics_agent_sql_query_failures_total{gauge="coderd_license_time_until_expires_days"} 0.0
                coderd_metrics_agent_sql_query_failures_total{gauge="coderd_license_user_count"} 0.0
                coderd_metrics_agent_sql_query_failures_total{gauge="coderd_license_user_limit"} 0.0
                """);

        sql("DELETE FROM licenses");
        now[0] += 30 * SECOND;
        runner.runDue();
        assertThat(exposed()).doesNotContain("# TYPE coderd_license_");
    }

    @Test
    void aFailingGaugeIsAbsentCountedAndRetriedAfterTwiceThenFourTimesTheIntervalWhileTheOthersRun() throws SQLException {
        SqlGauge broken = new SqlGauge("coderd_templates", "Templates.", "SELECT count(*) FROM templates", null,
                ValueKind.NUMBER, List.of());
        SqlGauge limit = SqlGaugeDefinitions.license().get(4);
        SqlGaugeRunner runner = runner(List.of(limit, broken));
        sql("INSERT INTO licenses VALUES (1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 25)");
        app.offer(h2);
        runner.runDue();
        assertThat(exposed()).contains("coderd_license_user_limit 25.0")
                .doesNotContain("# TYPE coderd_templates ")
                .contains("coderd_metrics_agent_sql_query_failures_total{gauge=\"coderd_templates\"} 1.0");
        now[0] += 30 * SECOND;
        runner.runDue();                                   // the license gauge runs; the broken one waits 60 s
        assertThat(exposed()).contains("coderd_metrics_agent_sql_query_failures_total{gauge=\"coderd_templates\"} 1.0");
        now[0] += 30 * SECOND;
        assertThat(runner.runDue()).isEqualTo(now[0] + 30 * SECOND);
        assertThat(exposed()).contains("coderd_metrics_agent_sql_query_failures_total{gauge=\"coderd_templates\"} 2.0");
        sql("CREATE TABLE templates (id INT)", "INSERT INTO templates VALUES (1), (2)");
        now[0] += 90 * SECOND;                              // 120 s after the second failure: not yet
        runner.runDue();
        assertThat(exposed()).doesNotContain("# TYPE coderd_templates ");
        now[0] += 30 * SECOND;
        runner.runDue();
        assertThat(exposed()).contains("coderd_templates 2.0")
                .contains("coderd_metrics_agent_sql_query_failures_total{gauge=\"coderd_templates\"} 2.0")
                .contains("coderd_metrics_agent_sql_query_failures_total{gauge=\"coderd_license_user_limit\"} 0.0");
    }

    @Test
    void labelColumnsMakeOneSeriesPerRowUpToTheSeriesLimitAndAPoolWithoutAnIdleConnectionIsLeftAlone() throws SQLException {
        sql("CREATE TABLE templates (name VARCHAR(32), provisioner VARCHAR(32))",
                "INSERT INTO templates VALUES ('a', 'docker'), ('b', 'docker'), ('c', 'kubernetes'), ('d', 'nomad'), "
                        + "('e', 'terraform'), ('f', NULL)");
        SqlGaugeRunner runner = runner(List.of(new SqlGauge("coderd_templates", "Templates by provisioner.",
                "SELECT provisioner, count(*) AS n FROM templates GROUP BY provisioner ORDER BY provisioner NULLS FIRST", "n",
                ValueKind.NUMBER, List.of("provisioner"))));
        app.offer(h2);
        pools.opened(new Object(), new PoolView(h2));
        idle = 0;                                          // every pooled connection in use: no run, no failure
        runner.runDue();
        idle = 1;                                          // the last idle one is the application's next borrow's
        now[0] += SECOND;
        runner.runDue();
        assertThat(exposed()).doesNotContain("# TYPE coderd_templates ");
        idle = 2;
        now[0] += SECOND;
        runner.runDue();
        assertThat(exposed()).endsWith("""
                coderd_metrics_agent_sql_query_failures_total{gauge="coderd_templates"} 0.0
                # HELP coderd_templates Templates by provisioner.
                # TYPE coderd_templates gauge
                coderd_templates{provisioner=""} 1.0
                coderd_templates{provisioner="docker"} 2.0
                coderd_templates{provisioner="kubernetes"} 1.0
                """);
    }

    @Test
    void aConfiguredJdbcUrlIsQueriedThroughTheDriverOnTheClassPathAndAnUnknownOneFailsEveryGauge() throws SQLException {
        sql("INSERT INTO licenses VALUES (1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 40)");
        SqlGauge limit = SqlGaugeDefinitions.license().get(4);
        runner(List.of(limit), ConnectionSource.of(h2.getURL(), "", "", app)).runDue(); // no data source used: the URL alone
        assertThat(exposed()).contains("coderd_license_user_limit 40.0");

        AgentRegistry other = new AgentRegistry(2000);
        SqlGaugeMetrics metrics = new SqlGaugeMetrics(other, List.of(limit.name()));
        SqlGaugeRunner unknown = new SqlGaugeRunner(List.of(limit), ConnectionSource.of("jdbc:nosuch:db", "", "", app),
                Duration.ofSeconds(30), Duration.ofSeconds(5), 3, metrics, () -> now[0], () -> WALL_MILLIS);
        metrics.expose(unknown);
        unknown.runDue();
        assertThat(Expositions.text(other.registry(), "coderd_license_", SqlGaugeMetrics.FAILURES)).isEqualTo("""
                # HELP coderd_metrics_agent_sql_query_failures_total Runs of an SQL gauge's query that failed (the gauge is absent until one succeeds), by gauge.
                # TYPE coderd_metrics_agent_sql_query_failures_total counter
                coderd_metrics_agent_sql_query_failures_total{gauge="coderd_license_user_limit"} 1.0
                """);
    }

    @Test
    void aConnectionThatFailsItselfFailsEveryDueGaugeOnceAndTheRoundBacksOff() throws SQLException {
        java.lang.reflect.InvocationHandler broken = (proxy, method, args) -> {
            if (method.getName().equals("getAutoCommit")) {
                throw new SQLException("connection reset");
            }
            return null; // close() and the rest: nothing
        };
        Connection connection = (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, broken);
        javax.sql.DataSource source = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> method.getName().equals("getConnection") ? connection : null);
        SqlGaugeRunner runner = runner(SqlGaugeDefinitions.license().subList(3, 5));
        app.offer(source);
        runner.runDue();
        now[0] += 30 * SECOND;                                       // both failed: not retried after one interval
        runner.runDue();
        assertThat(exposed()).contains(
                "coderd_metrics_agent_sql_query_failures_total{gauge=\"coderd_license_user_count\"} 1.0",
                "coderd_metrics_agent_sql_query_failures_total{gauge=\"coderd_license_user_limit\"} 1.0");
        now[0] += 30 * SECOND;                                       // but after two
        runner.runDue();
        assertThat(exposed()).contains(
                "coderd_metrics_agent_sql_query_failures_total{gauge=\"coderd_license_user_count\"} 2.0",
                "coderd_metrics_agent_sql_query_failures_total{gauge=\"coderd_license_user_limit\"} 2.0");
    }

    @Test
    void aDataSourceThatCannotGiveAConnectionIsReplacedByTheNextOneTheApplicationUses() throws SQLException {
        javax.sql.DataSource closed = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    throw new SQLException("HikariDataSource (migrations) has been closed.");
                });
        sql("INSERT INTO licenses VALUES (1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 25)");
        SqlGaugeRunner runner = runner(List.of(SqlGaugeDefinitions.license().get(4)));
        app.offer(closed);
        runner.runDue();
        assertThat(app.get()).isNull();
        app.offer(h2);                                               // the application's next borrow
        now[0] += 60 * SECOND;
        runner.runDue();
        assertThat(exposed()).contains("coderd_license_user_limit 25.0",
                "coderd_metrics_agent_sql_query_failures_total{gauge=\"coderd_license_user_limit\"} 1.0");
    }

    @Test
    void aPoolOutsideAutoCommitGetsItsConnectionBackAfterAFailedAndASucceedingQuery() throws SQLException {
        sql("INSERT INTO licenses VALUES (1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 25)");
        SqlGaugeRunner runner = runner(List.of(
                new SqlGauge("coderd_templates", "Templates.", "SELECT count(*) FROM templates", null, ValueKind.NUMBER, List.of()),
                SqlGaugeDefinitions.license().get(4)));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(h2.getURL());
        config.setAutoCommit(false);
        config.setMaximumPoolSize(1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            app.offer(pool);
            runner.runDue();                               // the first query fails inside the transaction; the second still runs
            assertThat(exposed()).contains("coderd_license_user_limit 25.0")
                    .contains("coderd_metrics_agent_sql_query_failures_total{gauge=\"coderd_templates\"} 1.0");
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isEqualTo(0);
            assertThat(pool.getHikariPoolMXBean().getIdleConnections()).isEqualTo(1);
        }
    }

    /** A pool of 10 behind {@code dataSource}, with {@link #idle} idle connections. */
    private final class PoolView implements PoolRecorder.PoolView {
        private final Object dataSource;

        PoolView(Object dataSource) {
            this.dataSource = dataSource;
        }

        @Override public String name() { return "coderd"; }
        @Override public double maxOpen() { return 10; }
        @Override public double open() { return idle; }
        @Override public double inUse() { return 0; }
        @Override public double idle() { return idle; }
        @Override public boolean closes(PoolRecorder.Closing reason) { return false; }
        @Override public boolean servedBy(Object ds) { return ds == dataSource; }
    }
}

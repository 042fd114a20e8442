package dev.coderd.metrics.instrumentation.jdbc.dbcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.db.PoolRecorder;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.DbMetrics;
import dev.coderd.metrics.metrics.Expositions;
import org.junit.jupiter.api.Test;

/** A DBCP pool read through commons-pool's public getters, named by its JMX name or by its order. */
class DbcpPoolsTest {
    /** The getters of GenericObjectPool that the adapter reads. */
    public static final class Pool {
        public int getMaxTotal() { return -1; }
        public int getNumActive() { return 2; }
        public int getNumIdle() { return 3; }
    }

    /** The getters of BasicDataSource that the adapter reads. */
    public static final class DataSource {
        private final String jmxName;
        private final Pool pool = new Pool();

        DataSource(String jmxName) {
            this.jmxName = jmxName;
        }

        public Pool getConnectionPool() { return pool; }
        public String getJmxName() { return jmxName; }
    }

    private final AgentRegistry registry = new AgentRegistry(2000);
    private final PoolRecorder recorder = new PoolRecorder(10, System::nanoTime);
    private final DbcpPools dbcp = new DbcpPools(recorder);
    {
        new DbMetrics(registry, recorder::readings);
    }

    @Test
    void aPoolWithoutALimitReportsZeroAsDatabaseSqlDoesAndLeavesClosingsOut() {
        DataSource ds = new DataSource(null);
        dbcp.started(ds);
        assertThat(Expositions.text(registry.registry(), "go_sql_")).isEqualTo("""
                # HELP go_sql_idle_connections The number of idle connections.
                # TYPE go_sql_idle_connections gauge
                go_sql_idle_connections{db_name="BasicDataSource-1"} 3.0
                # HELP go_sql_in_use_connections The number of connections currently in use.
                # TYPE go_sql_in_use_connections gauge
                go_sql_in_use_connections{db_name="BasicDataSource-1"} 2.0
                # HELP go_sql_max_open_connections Maximum number of open connections to the database.
                # TYPE go_sql_max_open_connections gauge
                go_sql_max_open_connections{db_name="BasicDataSource-1"} 0.0
                # HELP go_sql_open_connections The number of established connections both in use and idle.
                # TYPE go_sql_open_connections gauge
                go_sql_open_connections{db_name="BasicDataSource-1"} 5.0
                # HELP go_sql_wait_count_total The total number of connections waited for.
                # TYPE go_sql_wait_count_total counter
                go_sql_wait_count_total{db_name="BasicDataSource-1"} 0.0
                # HELP go_sql_wait_duration_seconds_total The total time blocked waiting for a new connection.
                # TYPE go_sql_wait_duration_seconds_total counter
                go_sql_wait_duration_seconds_total{db_name="BasicDataSource-1"} 0.0
                """);
        recorder.closed(ds);
        assertThat(Expositions.text(registry.registry(), "go_sql_")).isEqualTo("\n");
    }

    @Test
    void aRestartedDataSourceKeepsItsNameAndAJmxNameNamesThePool() {
        DataSource first = new DataSource(null);
        DataSource second = new DataSource("org.apache.commons.dbcp2:type=BasicDataSource,name=coderd");
        dbcp.started(first);
        recorder.closed(first);
        dbcp.started(first);
        dbcp.started(second);
        assertThat(recorder.readings()).extracting(r -> r.dbName()).containsExactly("BasicDataSource-1", "coderd");
    }

    @Test
    void theNamePropertyOfAJmxNameElseTheWholeText() {
        assertThat(DbcpPools.nameProperty("org.apache.commons.dbcp2:name=coderd,type=BasicDataSource")).isEqualTo("coderd");
        assertThat(DbcpPools.nameProperty("pool:type=a")).isEqualTo("pool:type=a");
        assertThat(DbcpPools.nameProperty("coderd")).isEqualTo("coderd");
        assertThat(DbcpPools.nameProperty(" ")).isNull();
    }

    @Test
    void aDataSourceThatCannotBeReadIsLeftOut() {
        dbcp.started(new Object());
        assertThat(Expositions.text(registry.registry(), "go_sql_")).isEqualTo("\n");
    }
}

package dev.coderd.metrics.instrumentation.jdbc.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.db.PoolRecorder;
import dev.coderd.metrics.metrics.DbMetrics.PoolStat;
import org.junit.jupiter.api.Test;

/** A Tomcat JDBC pool read through its public getters and its configuration's. */
class TomcatJdbcPoolsTest {
    /** The getter of PoolConfiguration that the adapter reads. */
    public static final class Properties {
        public int getMaxActive() { return 8; }
    }

    /** The getters of ConnectionPool that the adapter reads. */
    public static final class Pool {
        public String getName() { return "coderd"; }
        public Properties getPoolProperties() { return new Properties(); }
        public int getSize() { return 5; }
        public int getActive() { return 2; }
        public int getIdle() { return 3; }
    }

    /** An application data source that happens to have a getPool() but is not Tomcat's. */
    public static final class OtherDataSource {
        public Object getPool() { throw new AssertionError("never called"); }
    }

    private final PoolRecorder recorder = new PoolRecorder(10, System::nanoTime);
    private final TomcatJdbcPools tomcat = new TomcatJdbcPools(recorder);

    @Test
    void aPoolIsReadLiveUnderItsNameAndOnlyTomcatsDataSourcesAreAskedForIt() {
        Pool pool = new Pool();
        tomcat.started(pool);
        var reading = recorder.readings().get(0);
        assertThat(reading.dbName()).isEqualTo("coderd");
        assertThat(reading.value(PoolStat.MAX_OPEN)).isEqualTo(8.0);
        assertThat(reading.value(PoolStat.OPEN)).isEqualTo(5.0);
        assertThat(reading.value(PoolStat.IN_USE)).isEqualTo(2.0);
        assertThat(reading.value(PoolStat.IDLE)).isEqualTo(3.0);
        assertThat(reading.value(PoolStat.MAX_LIFETIME_CLOSED)).isNaN();
        assertThat(recorder.idleConnections(new OtherDataSource())).isNaN();
        recorder.closed(pool);
        assertThat(recorder.readings()).isEmpty();
    }

    @Test
    void aPoolThatCannotBeReadIsLeftOut() {
        tomcat.started(new Object());
        assertThat(recorder.readings()).isEmpty();
    }
}

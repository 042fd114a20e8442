package dev.coderd.metrics.instrumentation.jdbc.hikari;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.db.PoolRecorder;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.DbMetrics;
import dev.coderd.metrics.metrics.Expositions;
import org.junit.jupiter.api.Test;

/** HikariCP's pool read through its public getters, and its closing reasons in database/sql's terms. */
class HikariPoolsTest {
    /** The getters of HikariConfigMXBean that the adapter reads. */
    public static final class Config {
        public String getPoolName() { return "coderd"; }
        public int getMaximumPoolSize() { return 10; }
    }

    /** The getters of HikariPoolMXBean that the adapter reads. */
    public static final class Pool {
        public int getTotalConnections() { return 4; }
        public int getActiveConnections() { return 1; }
        public int getIdleConnections() { return 3; }
    }

    private final AgentRegistry registry = new AgentRegistry(2000);
    private final PoolRecorder recorder = new PoolRecorder(10, System::nanoTime);
    private final HikariPools hikari = new HikariPools(recorder);
    {
        new DbMetrics(registry, recorder::readings);
    }

    @Test
    void closingsCountByReasonIncludingALifetimeThatEndedInUse() {
        Pool pool = new Pool();
        hikari.started(pool, new Config());
        Object idle = new Object();
        Object expired = new Object();
        Object busyWhenExpired = new Object();
        Object evictedByUser = new Object();
        hikari.closing(pool, idle, HikariPools.IDLE_TIMEOUT);
        hikari.evicting(expired, HikariPools.MAX_LIFETIME);
        hikari.closing(pool, expired, HikariPools.MAX_LIFETIME);
        hikari.evicting(busyWhenExpired, HikariPools.MAX_LIFETIME);   // in use: only marked ...
        hikari.closing(pool, busyWhenExpired, HikariPools.EVICTED);   // ... closed on its return
        hikari.evicting(evictedByUser, "(connection evicted by user)");
        hikari.closing(pool, evictedByUser, HikariPools.EVICTED);
        hikari.closing(pool, new Object(), "(connection is dead)");

        assertThat(Expositions.text(registry.registry(), "go_sql_")).isEqualTo("""
                # HELP go_sql_idle_connections The number of idle connections.
                # TYPE go_sql_idle_connections gauge
                go_sql_idle_connections{db_name="coderd"} 3.0
                # HELP go_sql_in_use_connections The number of connections currently in use.
                # TYPE go_sql_in_use_connections gauge
                go_sql_in_use_connections{db_name="coderd"} 1.0
                # HELP go_sql_max_idle_time_closed_total The total number of connections closed due to SetConnMaxIdleTime.
                # TYPE go_sql_max_idle_time_closed_total counter
                go_sql_max_idle_time_closed_total{db_name="coderd"} 1.0
                # HELP go_sql_max_lifetime_closed_total The total number of connections closed due to SetConnMaxLifetime.
                # TYPE go_sql_max_lifetime_closed_total counter
                go_sql_max_lifetime_closed_total{db_name="coderd"} 2.0
                # HELP go_sql_max_open_connections Maximum number of open connections to the database.
                # TYPE go_sql_max_open_connections gauge
                go_sql_max_open_connections{db_name="coderd"} 10.0
                # HELP go_sql_open_connections The number of established connections both in use and idle.
                # TYPE go_sql_open_connections gauge
                go_sql_open_connections{db_name="coderd"} 4.0
                # HELP go_sql_wait_count_total The total number of connections waited for.
                # TYPE go_sql_wait_count_total counter
                go_sql_wait_count_total{db_name="coderd"} 0.0
                # HELP go_sql_wait_duration_seconds_total The total time blocked waiting for a new connection.
                # TYPE go_sql_wait_duration_seconds_total counter
                go_sql_wait_duration_seconds_total{db_name="coderd"} 0.0
                """);
        recorder.closed(pool);
        assertThat(Expositions.text(registry.registry(), "go_sql_")).isEqualTo("\n");
    }

    @Test
    void aPoolThatCannotBeReadIsLeftOut() {
        hikari.started(new Object(), new Object());
        assertThat(Expositions.text(registry.registry(), "go_sql_")).isEqualTo("\n");
    }
}

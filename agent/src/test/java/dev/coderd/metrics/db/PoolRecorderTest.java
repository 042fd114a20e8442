package dev.coderd.metrics.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.db.PoolRecorder.Closing;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.DbMetrics;
import dev.coderd.metrics.metrics.Expositions;
import org.junit.jupiter.api.Test;

class PoolRecorderTest {
    private final AgentRegistry registry = new AgentRegistry(2000);
    private final long[] now = {1_000_000_000L};
    private final PoolRecorder pools = new PoolRecorder(10, () -> now[0]);
    {
        new DbMetrics(registry, pools::readings);
    }

    /** A pool of 10 with 3 in use and 2 idle, that closes connections for idle time and lifetime only. */
    static final class FakePool implements PoolRecorder.PoolView {
        final String name;
        double inUse = 3;

        FakePool(String name) {
            this.name = name;
        }

        @Override public String name() { return name; }
        @Override public double maxOpen() { return 10; }
        @Override public double open() { return inUse + 2; }
        @Override public double inUse() { return inUse; }
        @Override public double idle() { return 2; }
        @Override public boolean closes(Closing reason) { return reason != Closing.MAX_IDLE; }
        @Override public boolean servedBy(Object dataSource) { return dataSource == this; }
    }

    @Test
    void theIdleConnectionsOfThePoolBehindADataSourceAreKnownAndOfAnyOtherSourceNot() {
        Object pool = new Object();
        FakePool view = new FakePool("coderd");
        pools.opened(pool, view);
        assertThat(pools.idleConnections(view)).isEqualTo(2.0);
        assertThat(pools.idleConnections(new Object())).isNaN();
        pools.agentHolds(view, 1);                 // the agent's own SQL: its connection counts idle, not in use
        pools.agentHolds(new Object(), 1);         // no known pool: nothing
        assertThat(Expositions.text(registry.registry(), "go_sql_in_use", "go_sql_idle", "go_sql_open")).isEqualTo("""
                # HELP go_sql_idle_connections The number of idle connections.
                # TYPE go_sql_idle_connections gauge
                go_sql_idle_connections{db_name="coderd"} 3.0
                # HELP go_sql_in_use_connections The number of connections currently in use.
                # TYPE go_sql_in_use_connections gauge
                go_sql_in_use_connections{db_name="coderd"} 2.0
                # HELP go_sql_open_connections The number of established connections both in use and idle.
                # TYPE go_sql_open_connections gauge
                go_sql_open_connections{db_name="coderd"} 5.0
                """);
        pools.agentHolds(view, -1);
        assertThat(Expositions.text(registry.registry(), "go_sql_in_use")).endsWith("go_sql_in_use_connections{db_name=\"coderd\"} 3.0\n");
        pools.closed(pool);
        assertThat(pools.idleConnections(view)).isNaN();
    }

    @Test
    void anOpenPoolShowsItsStateWaitsAndClosingsAndWhatItCannotMeasureIsLeftOut() {
        Object pool = new Object();
        pools.opened(pool, new FakePool("coderd"));
        pools.opened(pool, new FakePool("again")); // the same pool twice: once

        pools.acquireStarted();                    // no idle connection: waits 250 ms
        pools.waitStarted();
        now[0] += 250_000_000L;
        pools.waitStarted();                       // a second look inside the same borrow
        now[0] += 250_000_000L;
        pools.acquireEnded(pool);
        pools.acquireStarted();                    // an idle one at once: no wait
        pools.acquireEnded(pool);
        pools.waitStarted();                       // the housekeeper, outside a borrow: no wait
        pools.connectionClosed(pool, Closing.MAX_LIFETIME);
        pools.connectionClosed(pool, Closing.MAX_IDLE_TIME);
        pools.connectionClosed(pool, Closing.MAX_IDLE_TIME);

        assertThat(Expositions.text(registry.registry(), "go_sql_")).isEqualTo("""
                # HELP go_sql_idle_connections The number of idle connections.
                # TYPE go_sql_idle_connections gauge
                go_sql_idle_connections{db_name="coderd"} 2.0
                # HELP go_sql_in_use_connections The number of connections currently in use.
                # TYPE go_sql_in_use_connections gauge
                go_sql_in_use_connections{db_name="coderd"} 3.0
                # HELP go_sql_max_idle_time_closed_total The total number of connections closed due to SetConnMaxIdleTime.
                # TYPE go_sql_max_idle_time_closed_total counter
                go_sql_max_idle_time_closed_total{db_name="coderd"} 2.0
                # HELP go_sql_max_lifetime_closed_total The total number of connections closed due to SetConnMaxLifetime.
                # TYPE go_sql_max_lifetime_closed_total counter
                go_sql_max_lifetime_closed_total{db_name="coderd"} 1.0
                # HELP go_sql_max_open_connections Maximum number of open connections to the database.
                # TYPE go_sql_max_open_connections gauge
                go_sql_max_open_connections{db_name="coderd"} 10.0
                # HELP go_sql_open_connections The number of established connections both in use and idle.
                # TYPE go_sql_open_connections gauge
                go_sql_open_connections{db_name="coderd"} 5.0
                # HELP go_sql_wait_count_total The total number of connections waited for.
                # TYPE go_sql_wait_count_total counter
                go_sql_wait_count_total{db_name="coderd"} 1.0
                # HELP go_sql_wait_duration_seconds_total The total time blocked waiting for a new connection.
                # TYPE go_sql_wait_duration_seconds_total counter
                go_sql_wait_duration_seconds_total{db_name="coderd"} 0.5
                """);
    }

    @Test
    void poolsComeAndGoAndOneNameShowsOnce() {
        Object first = new Object();
        Object second = new Object();
        Object sameName = new Object();
        assertThat(Expositions.text(registry.registry(), "go_sql_in_use")).isEqualTo("\n");
        pools.opened(first, new FakePool("primary"));
        pools.opened(second, new FakePool("replica"));
        pools.opened(sameName, new FakePool("primary"));
        assertThat(Expositions.text(registry.registry(), "go_sql_in_use")).isEqualTo("""
                # HELP go_sql_in_use_connections The number of connections currently in use.
                # TYPE go_sql_in_use_connections gauge
                go_sql_in_use_connections{db_name="primary"} 3.0
                go_sql_in_use_connections{db_name="replica"} 3.0
                """);
        pools.closed(first);
        pools.closed(second);
        pools.closed(sameName);
        assertThat(Expositions.text(registry.registry(), "go_sql_")).isEqualTo("\n");
    }
}

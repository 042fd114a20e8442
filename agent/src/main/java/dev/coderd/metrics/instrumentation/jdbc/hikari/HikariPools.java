package dev.coderd.metrics.instrumentation.jdbc.hikari;

import dev.coderd.metrics.db.PoolRecorder;
import dev.coderd.metrics.db.PoolRecorder.Closing;
import dev.coderd.metrics.instrumentation.jdbc.GetterPoolView;
import dev.coderd.metrics.instrumentation.jdbc.PoolGetter;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * HikariCP's terms turned into {@link PoolRecorder}'s: a {@code HikariPool} and its {@code HikariConfig} read
 * through their public MXBean getters ({@code HikariPoolMXBean}, {@code HikariConfigMXBean}) at scrape time,
 * and Hikari's closing reasons mapped to {@code database/sql}'s.
 *
 * <ul>
 *   <li>{@code "(connection has passed idleTimeout)"}: an idle connection above {@code minimumIdle} retired by
 *       the housekeeper, Go's {@code SetConnMaxIdleTime}.</li>
 *   <li>{@code "(connection has passed maxLifetime)"}: Go's {@code SetConnMaxLifetime}; a connection in use
 *       when its lifetime ends is only marked, and closed later as {@code "(connection was evicted)"}, so the
 *       marking is remembered (weakly, per pool entry) and that closing counts as a lifetime one too.</li>
 *   <li>Go's {@code SetMaxIdleConns} (close on return when too many are idle) has no HikariCP counterpart:
 *       {@code go_sql_max_idle_closed_total} is left out for HikariCP pools.</li>
 * </ul>
 */
public final class HikariPools {
    static final String IDLE_TIMEOUT = "(connection has passed idleTimeout)";
    static final String MAX_LIFETIME = "(connection has passed maxLifetime)";
    static final String EVICTED = "(connection was evicted)";

    private final PoolRecorder pools;
    /** Pool entries marked for eviction because their lifetime ended while in use. */
    private final Map<Object, Boolean> lifetimeEnded = Collections.synchronizedMap(new WeakHashMap<>());

    public HikariPools(PoolRecorder pools) {
        this.pools = pools;
    }

    public void started(Object pool, Object config) {
        try {
            pools.opened(pool, new View(pool, config));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not a HikariCP this adapter can read: the pool is left out
        }
    }

    public void evicting(Object entry, String reason) {
        if (MAX_LIFETIME.equals(reason)) {
            lifetimeEnded.put(entry, Boolean.TRUE);
        }
    }

    public void closing(Object pool, Object entry, String reason) {
        boolean lifetime = lifetimeEnded.remove(entry) != null;
        if (MAX_LIFETIME.equals(reason) || (lifetime && EVICTED.equals(reason))) {
            pools.connectionClosed(pool, Closing.MAX_LIFETIME);
        } else if (IDLE_TIMEOUT.equals(reason)) {
            pools.connectionClosed(pool, Closing.MAX_IDLE_TIME);
        }
    }

    /** One pool read through its public getters; the pool and its configuration held weakly. */
    static final class View extends GetterPoolView {
        private final WeakReference<Object> config;

        View(Object pool, Object config) throws ReflectiveOperationException {
            super(String.valueOf(config.getClass().getMethod("getPoolName").invoke(config)),
                    PoolGetter.of(config, "getMaximumPoolSize"), PoolGetter.of(pool, "getTotalConnections"),
                    PoolGetter.of(pool, "getActiveConnections"), PoolGetter.of(pool, "getIdleConnections"));
            this.config = new WeakReference<>(config);
        }

        /** A {@code HikariDataSource} is its pool's configuration: {@code new HikariPool(this)}. */
        @Override
        public boolean servedBy(Object dataSource) {
            return dataSource != null && config.get() == dataSource;
        }

        @Override
        public boolean closes(Closing reason) {
            return reason != Closing.MAX_IDLE;
        }
    }
}

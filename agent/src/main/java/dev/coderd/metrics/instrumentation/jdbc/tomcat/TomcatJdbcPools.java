package dev.coderd.metrics.instrumentation.jdbc.tomcat;

import dev.coderd.metrics.db.PoolRecorder;
import dev.coderd.metrics.db.PoolRecorder.Closing;
import dev.coderd.metrics.instrumentation.jdbc.GetterPoolView;
import dev.coderd.metrics.instrumentation.jdbc.PoolGetter;
import java.lang.ref.WeakReference;

/**
 * The Tomcat JDBC pool's terms turned into {@link PoolRecorder}'s: a {@code ConnectionPool} registered under
 * itself, named by its {@code getName()} (the pool's {@code name} property, {@code Tomcat Connection Pool[…]}
 * when the application set none), and read at scrape time through its public getters ({@code getSize},
 * {@code getActive}, {@code getIdle}, and its configuration's {@code getMaxActive}). Closings by reason are
 * left out: the pool closes idle, aged and surplus connections through one {@code release} without a reason.
 */
public final class TomcatJdbcPools {
    private final PoolRecorder pools;

    public TomcatJdbcPools(PoolRecorder pools) {
        this.pools = pools;
    }

    public void started(Object pool) {
        try {
            pools.opened(pool, new View(pool));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not a Tomcat JDBC pool this adapter can read: the pool is left out
        }
    }

    /** One pool read through its public getters, held weakly. */
    static final class View extends GetterPoolView {
        private final WeakReference<Object> pool;

        View(Object pool) throws ReflectiveOperationException {
            super(String.valueOf(pool.getClass().getMethod("getName").invoke(pool)),
                    PoolGetter.of(pool.getClass().getMethod("getPoolProperties").invoke(pool), "getMaxActive"),
                    PoolGetter.of(pool, "getSize"), PoolGetter.of(pool, "getActive"), PoolGetter.of(pool, "getIdle"));
            this.pool = new WeakReference<>(pool);
        }

        /** The application's {@code org.apache.tomcat.jdbc.pool.DataSource} hands out this pool's connections through {@code getPool()}. */
        @Override
        public boolean servedBy(Object dataSource) {
            if (dataSource == null || !dataSource.getClass().getName().startsWith("org.apache.tomcat.jdbc.pool.")) {
                return false;
            }
            try {
                return dataSource.getClass().getMethod("getPool").invoke(dataSource) == pool.get();
            } catch (ReflectiveOperationException | RuntimeException e) {
                return false;
            }
        }

        @Override
        public boolean closes(Closing reason) {
            return false;
        }
    }
}

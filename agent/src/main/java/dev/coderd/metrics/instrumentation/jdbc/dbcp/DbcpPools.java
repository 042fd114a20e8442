package dev.coderd.metrics.instrumentation.jdbc.dbcp;

import dev.coderd.metrics.db.PoolRecorder;
import dev.coderd.metrics.db.PoolRecorder.Closing;
import dev.coderd.metrics.instrumentation.jdbc.GetterPoolView;
import dev.coderd.metrics.instrumentation.jdbc.PoolGetter;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DBCP's terms turned into {@link PoolRecorder}'s. A pool is registered under its {@code BasicDataSource} (the
 * object the borrow and close advice see) and read at scrape time through commons-pool's public
 * {@code GenericObjectPool} getters ({@code getMaxTotal}, {@code getNumActive}, {@code getNumIdle}), never
 * through the data source's {@code synchronized} ones, so a scrape never waits for a pool that is connecting.
 *
 * <ul>
 *   <li>{@code db_name}: the {@code name} property of the data source's {@code jmxName} when the application
 *       set one, else {@code BasicDataSource-N}, N counting the data sources this agent saw make a pool (a
 *       restarted one keeps its name).</li>
 *   <li>Closings by reason are left out: DBCP destroys connections for idle time, lifetime, too many idle and
 *       failed validation through one {@code destroy} without saying which.</li>
 * </ul>
 */
public final class DbcpPools {
    private final PoolRecorder pools;
    private final AtomicInteger unnamed = new AtomicInteger();
    private final Map<Object, String> names = Collections.synchronizedMap(new WeakHashMap<>());

    public DbcpPools(PoolRecorder pools) {
        this.pools = pools;
    }

    public void started(Object dataSource) {
        try {
            Object pool = dataSource.getClass().getMethod("getConnectionPool").invoke(dataSource);
            if (pool != null) {
                pools.opened(dataSource, new View(name(dataSource), dataSource, pool));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not a DBCP this adapter can read: the pool is left out
        }
    }

    private String name(Object dataSource) throws ReflectiveOperationException {
        Object jmxName = dataSource.getClass().getMethod("getJmxName").invoke(dataSource);
        String named = jmxName == null ? null : nameProperty(jmxName.toString());
        return named != null ? named : names.computeIfAbsent(dataSource, ds -> "BasicDataSource-" + unnamed.incrementAndGet());
    }

    /** {@code name} of a JMX object name ({@code org.example:type=pool,name=coderd} → {@code coderd}), else the whole text. */
    static String nameProperty(String objectName) {
        String text = objectName.trim();
        if (text.isEmpty()) {
            return null;
        }
        int colon = text.indexOf(':');
        for (String property : text.substring(colon + 1).split(",")) {
            int eq = property.indexOf('=');
            if (eq > 0 && property.substring(0, eq).trim().equals("name")) {
                String value = property.substring(eq + 1).trim();
                return value.isEmpty() ? text : value;
            }
        }
        return text;
    }

    /** One pool read through commons-pool's public getters (open: active plus idle); the data source held weakly. */
    static final class View extends GetterPoolView {
        private final WeakReference<Object> dataSource;

        View(String name, Object dataSource, Object pool) throws ReflectiveOperationException {
            super(name, PoolGetter.of(pool, "getMaxTotal"), null, PoolGetter.of(pool, "getNumActive"), PoolGetter.of(pool, "getNumIdle"));
            this.dataSource = new WeakReference<>(dataSource);
        }

        @Override
        public boolean servedBy(Object candidate) {
            return candidate != null && dataSource.get() == candidate;
        }

        @Override
        public boolean closes(Closing reason) {
            return false;
        }
    }
}

package dev.coderd.metrics.sqlgauge;

import java.lang.ref.WeakReference;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;

/**
 * The first {@code javax.sql.DataSource} the application took a connection from, held weakly (the agent never
 * keeps an application's pool, or its class loader, alive). The JDBC instrumentation offers every one it
 * sees; after the first, an offer costs one volatile read.
 */
public final class AppDataSource {
    private final CountDownLatch first = new CountDownLatch(1);
    private volatile WeakReference<DataSource> seen;

    public void offer(Object candidate) {
        WeakReference<DataSource> s = seen;
        if ((s == null || s.get() == null) && candidate instanceof DataSource) {
            synchronized (this) {
                s = seen;
                if (s == null || s.get() == null) {
                    seen = new WeakReference<>((DataSource) candidate);
                    first.countDown();
                }
            }
        }
    }

    /**
     * {@code failed} could not give a connection (a pool closed after a migration, say): the next data source
     * the application uses takes its place.
     */
    public void forget(DataSource failed) {
        synchronized (this) {
            WeakReference<DataSource> s = seen;
            if (s != null && s.get() == failed) {
                seen = null;
            }
        }
    }

    /** Waits until the application has used a data source (forever, if it never does: the caller is a daemon). */
    public void awaitFirst() throws InterruptedException {
        first.await();
    }

    /** The data source, or null before the application used one (or after it was collected). */
    public DataSource get() {
        WeakReference<DataSource> s = seen;
        return s == null ? null : s.get();
    }
}

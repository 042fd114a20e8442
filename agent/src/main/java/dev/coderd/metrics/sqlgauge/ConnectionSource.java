package dev.coderd.metrics.sqlgauge;

import dev.coderd.metrics.db.PoolRecorder;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import javax.sql.DataSource;

/** Where the SQL gauges get their connection: the application's own data source, or a configured JDBC URL. */
public interface ConnectionSource {
    /** Idle connections a known pool must have for the gauges to borrow one: one for them, one for the application. */
    int SPARE_IDLE = 2;

    /** A connection, or null when there is none yet (the application has not used its database). */
    Connection open() throws SQLException;

    /** Gives back a connection {@link #open()} answered. */
    default void release(Connection c) throws SQLException {
        c.close();
    }

    /** What the log names when the source fails. */
    String describe();

    /**
     * The application's own data source: a borrowed connection, given back as it was (see {@link SqlGaugeRunner});
     * none while its pool has fewer than {@link #SPARE_IDLE} idle connections (taking the last one would make the
     * application's next borrow wait). While the agent holds it, its pool's series count it idle.
     */
    static ConnectionSource of(AppDataSource app, PoolRecorder pools) {
        return new ConnectionSource() {
            private DataSource lent;

            @Override
            public Connection open() throws SQLException {
                DataSource ds = app.get();
                if (ds == null || pools.idleConnections(ds) < SPARE_IDLE) {
                    return null;
                }
                Connection c;
                try {
                    c = ds.getConnection();
                } catch (SQLException | RuntimeException e) {
                    app.forget(ds); // the application's next data source is asked next time
                    throw e;
                }
                lent = ds;
                pools.agentHolds(ds, 1);
                return c;
            }

            @Override
            public void release(Connection c) throws SQLException {
                pools.agentHolds(lent, -1);
                c.close();
            }

            @Override
            public String describe() {
                DataSource ds = app.get();
                return "the application's data source" + (ds == null ? "" : " (" + ds.getClass().getName() + ")");
            }
        };
    }

    /**
     * A JDBC URL, its driver found on the application's class path: {@code DriverManager} would refuse it, since
     * it only hands out drivers visible from its caller's loader, and the agent's is not the application's. The
     * loaders asked: the application data source's (in a Spring Boot jar, the only one that sees its drivers),
     * then the system loader.
     */
    static ConnectionSource of(String url, String user, String password, AppDataSource app) {
        return new ConnectionSource() {
            private Driver driver;

            @Override
            public Connection open() throws SQLException {
                if (driver == null) {
                    driver = find(url, app);
                }
                Properties props = new Properties();
                if (!user.isEmpty()) {
                    props.setProperty("user", user);
                }
                if (!password.isEmpty()) {
                    props.setProperty("password", password);
                }
                Connection c = driver.connect(url, props);
                if (c == null) {
                    throw new SQLException("the driver " + driver.getClass().getName() + " refused " + url);
                }
                c.setReadOnly(true); // our own connection: read-only for as long as it lives
                return c;
            }

            @Override
            public String describe() {
                return "sql-gauges.jdbc-url " + url;
            }
        };
    }

    private static Driver find(String url, AppDataSource app) throws SQLException {
        DataSource ds = app.get();
        for (ClassLoader loader : new ClassLoader[] {ds == null ? null : ds.getClass().getClassLoader(), ClassLoader.getSystemClassLoader()}) {
            if (loader == null) {
                continue;
            }
            Iterator<Driver> drivers = ServiceLoader.load(Driver.class, loader).iterator();
            while (true) {
                Driver d;
                try {
                    if (!drivers.hasNext()) {
                        break;
                    }
                    d = drivers.next();
                } catch (ServiceConfigurationError broken) {
                    continue; // one broken provider declaration: the others are still asked
                }
                if (d.acceptsURL(url)) {
                    return d;
                }
            }
        }
        throw new SQLException("no JDBC driver on the application's class path accepts " + url);
    }
}

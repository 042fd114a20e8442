package dev.coderd.it;

import dev.coderd.it.support.PostgresServer;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The database contract on a real PostgreSQL server ({@link PostgresServer}), started in the test JVM; the
 * fixtures connect to it over TCP with PostgreSQL's own JDBC driver.
 */
class PostgresDatabaseIT extends DatabaseContract {
    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    @Override
    List<String> database(String name) {
        return List.of(POSTGRES.jdbcUrl(POSTGRES.freshDatabase(name)), PostgresServer.USER, PostgresServer.PASSWORD);
    }
}

package dev.coderd.it;

import dev.coderd.it.support.PostgresServer;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The test-app given a PostgreSQL JDBC URL (a real server, {@link PostgresServer}). */
class SpringAppPostgresIT extends SpringAppDatabaseContract {
    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    @Override
    List<String> databaseArgs() {
        return List.of("--spring.datasource.url=" + POSTGRES.jdbcUrl("postgres"),
                "--spring.datasource.username=" + PostgresServer.USER, "--spring.datasource.password=" + PostgresServer.PASSWORD);
    }
}

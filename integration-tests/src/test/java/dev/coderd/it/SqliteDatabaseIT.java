package dev.coderd.it;

import java.nio.file.Path;
import java.util.List;

/** The database contract on SQLite (xerial's driver, a file of this run's own): a driver with native code, a loose dialect. */
class SqliteDatabaseIT extends DatabaseContract {
    @Override
    List<String> database(String name) {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "coderd-it-" + ProcessHandle.current().pid() + "-" + name + ".db");
        file.toFile().deleteOnExit();
        return List.of("jdbc:sqlite:" + file, "", "");
    }
}

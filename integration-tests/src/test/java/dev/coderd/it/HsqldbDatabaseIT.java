package dev.coderd.it;

import java.util.List;

/** The database contract on HSQLDB (embedded in the fixture JVM, in memory): another driver, another dialect. */
class HsqldbDatabaseIT extends DatabaseContract {
    @Override
    List<String> database(String name) {
        return List.of("jdbc:hsqldb:mem:" + name, "SA", "");
    }
}

package dev.coderd.it;

import java.util.List;

/** The database contract on H2 (embedded in the fixture JVM, in memory): H2's own driver and dialect. */
class H2DatabaseIT extends DatabaseContract {
    @Override
    List<String> database(String name) {
        return List.of("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
    }
}

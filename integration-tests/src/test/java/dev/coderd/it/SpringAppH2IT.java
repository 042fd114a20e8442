package dev.coderd.it;

import java.util.List;

/** The test-app as the README's first command runs it: its embedded H2. */
class SpringAppH2IT extends SpringAppDatabaseContract {
    @Override
    List<String> databaseArgs() {
        return List.of();
    }
}

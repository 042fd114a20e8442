package dev.coderd.it;

import java.util.List;

/** The pool-library contract on the Tomcat JDBC pool ({@code org.apache.tomcat.jdbc.pool}): pools named by their {@code name}. */
class TomcatJdbcPoolIT extends PoolLibraryContract {
    @Override
    String dataSourceClass() {
        return "org.apache.tomcat.jdbc.pool.DataSource";
    }

    @Override
    String instrumentation() {
        return "tomcat-jdbc";
    }

    @Override
    List<String> poolNames() {
        return List.of("fixture", "late");
    }
}

package dev.coderd.it;

import java.util.List;

/** The pool-library contract on Apache Commons DBCP 2 (with commons-pool 2): pools named by their order. */
class CommonsDbcpIT extends PoolLibraryContract {
    @Override
    String dataSourceClass() {
        return "org.apache.commons.dbcp2.BasicDataSource";
    }

    @Override
    String instrumentation() {
        return "dbcp";
    }

    @Override
    List<String> poolNames() {
        return List.of("BasicDataSource-1", "BasicDataSource-2");
    }
}

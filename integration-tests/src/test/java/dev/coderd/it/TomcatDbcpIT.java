package dev.coderd.it;

import java.util.List;

/** The pool-library contract on Tomcat's repackaged DBCP 2 ({@code org.apache.tomcat.dbcp}), behind Tomcat's JNDI data sources. */
class TomcatDbcpIT extends PoolLibraryContract {
    @Override
    String dataSourceClass() {
        return "org.apache.tomcat.dbcp.dbcp2.BasicDataSource";
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

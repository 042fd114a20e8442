package dev.coderd.it;

/** The DBCP contract on Apache Commons DBCP 2 (with commons-pool 2). */
class CommonsDbcpIT extends DbcpContract {
    @Override
    String dataSourceClass() {
        return "org.apache.commons.dbcp2.BasicDataSource";
    }
}

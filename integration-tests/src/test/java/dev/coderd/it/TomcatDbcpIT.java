package dev.coderd.it;

/** The DBCP contract on Tomcat's repackaged copy ({@code org.apache.tomcat.dbcp}), behind Tomcat's JNDI data sources. */
class TomcatDbcpIT extends DbcpContract {
    @Override
    String dataSourceClass() {
        return "org.apache.tomcat.dbcp.dbcp2.BasicDataSource";
    }
}

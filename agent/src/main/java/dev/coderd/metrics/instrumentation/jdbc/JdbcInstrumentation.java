package dev.coderd.metrics.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.coderd.metrics.config.ConfigKey;
import dev.coderd.metrics.instrumentation.AdviceSupport;
import dev.coderd.metrics.instrumentation.InstrumentationModule;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every JDBC driver, pool proxy and wrapper, in any class loader: the {@code execute*} methods of
 * {@code java.sql.Statement} implementations ({@link StatementExecuteAdvice}), the SQL a statement is prepared
 * with ({@link PrepareAdvice} on {@code Connection.prepareStatement/prepareCall}) or batched with
 * ({@link AddBatchAdvice}, {@link ClearBatchAdvice}), {@code Connection.isValid} and {@code Driver.connect} as
 * the driver's own work ({@link InternalScopeAdvice}), and the application's {@code javax.sql.DataSource} for the SQL gauges
 * ({@link DataSourceAdvice} on {@code getConnection()}). Only the outermost execution on a thread counts (see
 * {@link dev.coderd.metrics.db.DbRecorder}).
 */
public final class JdbcInstrumentation implements InstrumentationModule {
    public static final ConfigKey<Boolean> ENABLED = ConfigKey.instrumentationSwitch("jdbc",
            "JDBC statements of any driver (`coderd_db_sql_*`).");

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public ConfigKey<Boolean> switchKey() {
        return ENABLED;
    }

    /**
     * A class that declares what this matches implements (or names in a descriptor) one of these interfaces:
     * {@code JdbcClassFileMarkersTest} checks it for every such class of H2, PostgreSQL's driver and HikariCP.
     */
    @Override
    public List<String> classFileMarkers() {
        return List.of("java/sql/Statement", "java/sql/PreparedStatement", "java/sql/CallableStatement",
                "java/sql/Connection", "javax/sql/DataSource", "java/sql/Driver");
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
        // declaresMethod first: it reads only the class's own bytes, while hasSuperType reads its hierarchy.
        return builder
                .type(statementTypes())
                .transform(advice.transformer(name(), a -> a
                        .advice(executions(), StatementExecuteAdvice.class.getName())
                        .advice(concrete().and(named("addBatch")).and(takesArguments(String.class)), AddBatchAdvice.class.getName())
                        .advice(concrete().and(named("clearBatch")).and(takesArguments(0)), ClearBatchAdvice.class.getName())))
                .type(connectionTypes())
                .transform(advice.transformer(name(), a -> a
                        .advice(preparations(), PrepareAdvice.class.getName())
                        .advice(validity(), InternalScopeAdvice.class.getName())))
                .type(driverTypes())
                .transform(advice.transformer(name(), a -> a.advice(driverConnect(), InternalScopeAdvice.class.getName())))
                .type(dataSourceTypes())
                .transform(advice.transformer(name(), a -> a.advice(connectionGetter(), DataSourceAdvice.class.getName())));
    }

    /**
     * Statement implementations (drivers', pools' proxies, wrappers) that declare a method advised here, and
     * abstract statement bases that declare them without implementing {@code Statement} themselves: SQLite's
     * {@code JDBC3Statement} declares {@code executeQuery} and its subclass {@code JDBC4Statement} only adds the
     * interface. A base loads before any subclass, so it cannot wait to learn that one will implement
     * {@code Statement}; an abstract class with the interface's own {@code ResultSet executeQuery(String)} is one.
     */
    public static ElementMatcher.Junction<TypeDescription> statementTypes() {
        return not(isInterface()).and(declaresMethod(statementMethods()))
                .and(hasSuperType(named("java.sql.Statement")).or(statementBase()));
    }

    private static ElementMatcher.Junction<TypeDescription> statementBase() {
        return isAbstract().and(declaresMethod(concrete().and(named("executeQuery")).and(takesArguments(String.class))
                .and(returns(named("java.sql.ResultSet")))));
    }

    /** Connection implementations that declare {@code prepareStatement}, {@code prepareCall} or {@code isValid}. */
    public static ElementMatcher.Junction<TypeDescription> connectionTypes() {
        return not(isInterface()).and(declaresMethod(connectionMethods())).and(hasSuperType(named("java.sql.Connection")));
    }

    /**
     * {@code java.sql.Driver} implementations that declare {@code connect(String, Properties)}: what a driver runs
     * while it opens a connection (SQLite's {@code PRAGMA}s, a session's settings) is its own work, not the
     * application's, whether a pool or {@code DriverManager} asked for the connection.
     */
    public static ElementMatcher.Junction<TypeDescription> driverTypes() {
        return not(isInterface()).and(declaresMethod(driverConnect())).and(hasSuperType(named("java.sql.Driver")));
    }

    private static ElementMatcher.Junction<MethodDescription> driverConnect() {
        return concrete().and(named("connect")).and(takesArguments(String.class, java.util.Properties.class));
    }

    /** {@code javax.sql.DataSource} implementations that declare {@code getConnection()}. */
    public static ElementMatcher.Junction<TypeDescription> dataSourceTypes() {
        return not(isInterface()).and(declaresMethod(connectionGetter())).and(hasSuperType(named("javax.sql.DataSource")));
    }

    private static ElementMatcher.Junction<MethodDescription> connectionGetter() {
        return concrete().and(named("getConnection")).and(takesArguments(0));
    }

    private static ElementMatcher.Junction<MethodDescription> concrete() {
        return isPublic().and(not(isAbstract()));
    }

    /** execute(String[, ...]), executeQuery, executeUpdate, executeLargeUpdate, and their no-argument forms. */
    static ElementMatcher.Junction<MethodDescription> executions() {
        ElementMatcher.Junction<MethodDescription> withSql = namedOneOf("execute", "executeQuery", "executeUpdate", "executeLargeUpdate")
                .and(takesArguments(0).or(takesArgument(0, String.class)));
        ElementMatcher.Junction<MethodDescription> batches = namedOneOf("executeBatch", "executeLargeBatch").and(takesArguments(0));
        return concrete().and(withSql.or(batches));
    }

    private static ElementMatcher.Junction<MethodDescription> statementMethods() {
        return executions().or(concrete().and(namedOneOf("addBatch", "clearBatch")));
    }

    static ElementMatcher.Junction<MethodDescription> preparations() {
        return concrete().and(namedOneOf("prepareStatement", "prepareCall")).and(takesArgument(0, String.class))
                .and(not(returns(void.class)));
    }

    private static ElementMatcher.Junction<MethodDescription> validity() {
        return concrete().and(named("isValid")).and(takesArguments(int.class));
    }

    private static ElementMatcher.Junction<MethodDescription> connectionMethods() {
        return preparations().or(validity());
    }
}

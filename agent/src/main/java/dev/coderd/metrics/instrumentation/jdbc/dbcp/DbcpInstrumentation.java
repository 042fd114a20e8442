package dev.coderd.metrics.instrumentation.jdbc.dbcp;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.coderd.metrics.config.ConfigKey;
import dev.coderd.metrics.instrumentation.AdviceSupport;
import dev.coderd.metrics.instrumentation.InstrumentationModule;
import dev.coderd.metrics.instrumentation.jdbc.InternalScopeAdvice;
import dev.coderd.metrics.instrumentation.jdbc.PoolAcquireAdvice;
import dev.coderd.metrics.instrumentation.jdbc.PoolShutdownAdvice;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Apache Commons DBCP 2 pools, and Tomcat's repackaged copy ({@code org.apache.tomcat.dbcp}, behind Tomcat's
 * JNDI data sources), for {@code go_sql_*}: a {@code BasicDataSource} making its pool and closing it, its
 * borrows ({@code getConnection()}), the borrow's block on commons-pool's deque when no idle connection is
 * left, and the connection factory's own SQL (validation query, {@code connectionInitSqls}), which is the
 * pool's, not the application's. See the package README.
 */
public final class DbcpInstrumentation implements InstrumentationModule {
    public static final ConfigKey<Boolean> ENABLED = ConfigKey.instrumentationSwitch("dbcp",
            "Apache Commons DBCP 2 pools and Tomcat's copy of it (`go_sql_*`; their validation and init SQL are not the application's).");

    /** Each advised class in the two packages DBCP 2 ships in: its own, and Tomcat's repackaged copy. */
    static final String[] DATA_SOURCES = {"org.apache.commons.dbcp2.BasicDataSource", "org.apache.tomcat.dbcp.dbcp2.BasicDataSource"};
    static final String[] DEQUES = {"org.apache.commons.pool2.impl.LinkedBlockingDeque",
            "org.apache.tomcat.dbcp.pool2.impl.LinkedBlockingDeque"};
    static final String[] FACTORIES = {"org.apache.commons.dbcp2.PoolableConnectionFactory",
            "org.apache.commons.dbcp2.managed.PoolableManagedConnectionFactory",
            "org.apache.tomcat.dbcp.dbcp2.PoolableConnectionFactory",
            "org.apache.tomcat.dbcp.dbcp2.managed.PoolableManagedConnectionFactory"};

    @Override
    public String name() {
        return "dbcp";
    }

    @Override
    public ConfigKey<Boolean> switchKey() {
        return ENABLED;
    }

    /** The advised classes' own names. */
    @Override
    public List<String> classFileMarkers() {
        return Stream.of(DATA_SOURCES, DEQUES, FACTORIES).flatMap(Arrays::stream).map(n -> n.replace('.', '/')).toList();
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
        return builder
                .type(namedOneOf(DATA_SOURCES))
                .transform(advice.transformer(name(), a -> a
                        .advice(named("createConnectionPool").and(takesArguments(1)), PoolCreatedAdvice.class.getName())
                        .advice(named("close").and(takesArguments(0)), PoolShutdownAdvice.class.getName())
                        .advice(named("getConnection").and(takesArguments(0)), PoolAcquireAdvice.class.getName())))
                .type(namedOneOf(DEQUES))
                .transform(advice.transformer(name(), a -> a
                        .advice(named("takeFirst").and(takesArguments(0))
                                .or(named("pollFirst").and(takesArguments(long.class, TimeUnit.class)))
                                .or(named("pollFirst").and(takesArguments(1)).and(takesArgument(0, Duration.class))),
                                BlockingTakeAdvice.class.getName())))
                .type(namedOneOf(FACTORIES))
                .transform(advice.transformer(name(), a -> a
                        // a new connection's init SQL and its test, and the validation query on borrow, return or idle
                        .advice(named("makeObject").or(named("validateObject")).or(named("validateConnection")),
                                InternalScopeAdvice.class.getName())));
    }
}

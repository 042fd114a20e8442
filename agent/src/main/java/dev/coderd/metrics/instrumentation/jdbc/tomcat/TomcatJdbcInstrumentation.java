package dev.coderd.metrics.instrumentation.jdbc.tomcat;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.coderd.metrics.config.ConfigKey;
import dev.coderd.metrics.instrumentation.AdviceSupport;
import dev.coderd.metrics.instrumentation.InstrumentationModule;
import dev.coderd.metrics.instrumentation.jdbc.InternalScopeAdvice;
import dev.coderd.metrics.instrumentation.jdbc.PoolAcquireAdvice;
import dev.coderd.metrics.instrumentation.jdbc.PoolShutdownAdvice;
import dev.coderd.metrics.instrumentation.jdbc.WaitingPoll;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * The Tomcat JDBC pool ({@code org.apache.tomcat.jdbc.pool}, Spring Boot 1's default) for {@code go_sql_*}:
 * {@code ConnectionPool} starting and closing, its borrows ({@code getConnection}), the blocking
 * {@code idle.poll(timeout, unit)} of {@code borrowConnection}, reached only at {@code maxActive} (replaced by
 * {@code JdbcBridge.waitingPoll}), and {@code PooledConnection}'s own SQL (validation query, {@code initSQL}),
 * which is the pool's, not the application's. See the package README.
 */
public final class TomcatJdbcInstrumentation implements InstrumentationModule {
    public static final ConfigKey<Boolean> ENABLED = ConfigKey.instrumentationSwitch("tomcat-jdbc",
            "The Tomcat JDBC pool (`go_sql_*`; its validation and init SQL are not the application's).");

    static final String POOL = "org.apache.tomcat.jdbc.pool.ConnectionPool";
    static final String CONNECTION = "org.apache.tomcat.jdbc.pool.PooledConnection";

    @Override
    public String name() {
        return "tomcat-jdbc";
    }

    @Override
    public ConfigKey<Boolean> switchKey() {
        return ENABLED;
    }

    /** The two classes' own names. */
    @Override
    public List<String> classFileMarkers() {
        return List.of(POOL.replace('.', '/'), CONNECTION.replace('.', '/'));
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
        return builder
                .type(named(POOL))
                .transform(advice.transformer(name(), a -> a
                        .advice(isConstructor().and(takesArguments(1)), PoolStartedAdvice.class.getName())
                        .advice(named("close").and(takesArguments(boolean.class)), PoolShutdownAdvice.class.getName())
                        .advice(named("getConnection").and(takesArguments(0).or(takesArguments(String.class, String.class))),
                                PoolAcquireAdvice.class.getName())))
                .type(named(POOL))
                .transform(advice.visiting(name(), WaitingPoll.in(named("borrowConnection")
                        .and(takesArguments(3)).and(takesArgument(0, int.class)), BlockingQueue.class)))
                .type(named(CONNECTION))
                .transform(advice.transformer(name(), a -> a
                        // a new connection's initSQL and test, and the validation query on borrow, return or idle
                        .advice(named("connect").and(takesArguments(0)).or(named("validate")), InternalScopeAdvice.class.getName())));
    }
}

package dev.coderd.metrics.instrumentation.jdbc.hikari;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.coderd.metrics.config.ConfigKey;
import dev.coderd.metrics.instrumentation.AdviceSupport;
import dev.coderd.metrics.instrumentation.InstrumentationModule;
import dev.coderd.metrics.instrumentation.jdbc.InternalScopeAdvice;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * HikariCP pools for {@code go_sql_*}: {@code HikariPool} starting and shutting down (its series come and go),
 * borrowing ({@code getConnection(long)}) and finding no idle connection ({@code addBagItem}), closing
 * connections by reason; and {@code PoolBase}'s own connection tests and set-up, whose statements are the
 * pool's, not the application's. See {@link HikariPools} for why these methods and not a
 * {@code MetricsTrackerFactory}.
 */
public final class HikariInstrumentation implements InstrumentationModule {
    public static final ConfigKey<Boolean> ENABLED = ConfigKey.instrumentationSwitch("hikaricp",
            "HikariCP connection pools (`go_sql_*`).");

    static final String POOL = "com.zaxxer.hikari.pool.HikariPool";
    static final String POOL_BASE = "com.zaxxer.hikari.pool.PoolBase";

    @Override
    public String name() {
        return "hikaricp";
    }

    @Override
    public ConfigKey<Boolean> switchKey() {
        return ENABLED;
    }

    /** The two classes' own names. */
    @Override
    public List<String> classFileMarkers() {
        return List.of("com/zaxxer/hikari/pool/HikariPool", "com/zaxxer/hikari/pool/PoolBase");
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
        return builder
                .type(named(POOL))
                .transform(advice.transformer(name(), a -> a
                        .advice(isConstructor().and(takesArguments(1)).and(takesArgument(0, named("com.zaxxer.hikari.HikariConfig"))),
                                PoolStartAdvice.class.getName())
                        .advice(named("shutdown").and(takesArguments(0)), PoolShutdownAdvice.class.getName())
                        .advice(named("getConnection").and(takesArguments(long.class)), AcquireAdvice.class.getName())
                        .advice(named("addBagItem").and(takesArguments(int.class)), WaitAdvice.class.getName())
                        .advice(named("closeConnection").and(takesArguments(2)).and(takesArgument(1, String.class)),
                                ConnectionClosingAdvice.class.getName())
                        .advice(named("softEvictConnection").and(takesArguments(3)).and(takesArgument(1, String.class)),
                                ConnectionEvictingAdvice.class.getName())))
                .type(named(POOL_BASE))
                .transform(advice.transformer(name(), a -> a
                        // the borrow-time and keepalive liveness check, and a new connection's test and init SQL
                        .advice(named("isConnectionDead").or(named("newConnection")), InternalScopeAdvice.class.getName())));
    }
}

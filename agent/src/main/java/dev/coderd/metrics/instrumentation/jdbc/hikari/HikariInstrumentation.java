package dev.coderd.metrics.instrumentation.jdbc.hikari;

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
import java.util.concurrent.SynchronousQueue;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * HikariCP pools for {@code go_sql_*}: {@code HikariPool} starting and shutting down (its series come and go),
 * borrowing ({@code getConnection(long)}), closing connections by reason; {@code ConcurrentBag.borrow}'s wait
 * for a connection handed off (its call to {@code handoffQueue.poll}, reached only when no idle connection
 * was found, is replaced by {@code JdbcBridge.waitingPoll} through {@link WaitingPoll}, which marks the wait and polls); and
 * {@code PoolBase}'s own connection tests and set-up, whose statements are the pool's, not the application's.
 * See the package README for why these methods and not a {@code MetricsTrackerFactory}.
 */
public final class HikariInstrumentation implements InstrumentationModule {
    public static final ConfigKey<Boolean> ENABLED = ConfigKey.instrumentationSwitch("hikaricp",
            "HikariCP connection pools (`go_sql_*`).");

    static final String POOL = "com.zaxxer.hikari.pool.HikariPool";
    static final String POOL_BASE = "com.zaxxer.hikari.pool.PoolBase";
    static final String BAG = "com.zaxxer.hikari.util.ConcurrentBag";

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
        return List.of("com/zaxxer/hikari/pool/HikariPool", "com/zaxxer/hikari/pool/PoolBase",
                "com/zaxxer/hikari/util/ConcurrentBag");
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
        return builder
                .type(named(POOL))
                .transform(advice.transformer(name(), a -> a
                        .advice(isConstructor().and(takesArguments(1)).and(takesArgument(0, named("com.zaxxer.hikari.HikariConfig"))),
                                PoolStartAdvice.class.getName())
                        .advice(named("shutdown").and(takesArguments(0)), PoolShutdownAdvice.class.getName())
                        .advice(named("getConnection").and(takesArguments(long.class)), PoolAcquireAdvice.class.getName())
                        .advice(named("closeConnection").and(takesArguments(2)).and(takesArgument(1, String.class)),
                                ConnectionClosingAdvice.class.getName())
                        .advice(named("softEvictConnection").and(takesArguments(3)).and(takesArgument(1, String.class)),
                                ConnectionEvictingAdvice.class.getName())))
                .type(named(BAG))
                .transform(advice.visiting(name(), handoffWait()))
                .type(named(POOL_BASE))
                .transform(advice.transformer(name(), a -> a
                        // the borrow-time and keepalive liveness check, and a new connection's test and init SQL
                        .advice(named("isConnectionDead").or(named("newConnection")), InternalScopeAdvice.class.getName())));
    }

    /** In {@code borrow}, {@code handoffQueue.poll(timeout, unit)} becomes {@code JdbcBridge.waitingPoll(handoffQueue, timeout, unit)}. */
    static AsmVisitorWrapper handoffWait() {
        return WaitingPoll.in(named("borrow"), SynchronousQueue.class);
    }
}

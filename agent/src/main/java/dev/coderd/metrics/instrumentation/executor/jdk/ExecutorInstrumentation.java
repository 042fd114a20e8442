package dev.coderd.metrics.instrumentation.executor.jdk;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.coderd.metrics.config.ConfigKey;
import dev.coderd.metrics.instrumentation.AdviceSupport;
import dev.coderd.metrics.instrumentation.InstrumentationModule;
import java.util.List;
import java.util.concurrent.Callable;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The JDK's executors, where a task is handed over, leaves the queue unrun, and runs:
 * <ul>
 *   <li>{@code ThreadPoolExecutor}: {@code execute} (which {@code submit}, {@code invokeAll} and {@code invokeAny}
 *       use), {@code reject}, {@code remove}, {@code shutdownNow}, and {@code beforeExecute}/{@code afterExecute}
 *       in it and in every subclass that overrides them;</li>
 *   <li>{@code ScheduledThreadPoolExecutor}: {@code delayedExecute} and {@code reExecutePeriodic};</li>
 *   <li>{@code FutureTask.cancel}, {@code ForkJoinTask.cancel} (and the JDK's overrides),
 *       {@code DiscardOldestPolicy};</li>
 *   <li>{@code ForkJoinPool}: {@code externalSubmit} (JDK 17's private one and JDK 20's public one),
 *       {@code poolSubmit} (JDK 19+), {@code executeEnabledScheduledTask} (JDK 25's delayed tasks);
 *       {@code ForkJoinTask.doExec} runs them;</li>
 *   <li>{@code CompletableFuture}: the async stages' {@code run}, and its thread-per-task fallback executor
 *       (JDK 17 with fewer than three CPUs);</li>
 *   <li>JDK 21+ {@code ThreadPerTaskExecutor} ({@code Executors.newVirtualThreadPerTaskExecutor()}):
 *       {@code execute}, {@code submit(Callable)}, and its runners' {@code run}.</li>
 * </ul>
 * Names only: none of these types is loaded by the agent, so the same matchers serve JDK 17 to 25.
 */
public final class ExecutorInstrumentation implements InstrumentationModule {
    public static final ConfigKey<Boolean> ENABLED = ConfigKey.instrumentationSwitch("executor",
            "Background jobs: thread pools, scheduled pools, fork/join and `CompletableFuture` async stages, "
                    + "virtual-thread-per-task executors.");

    private static final String PKG = "java.util.concurrent.";
    private static final String TPE = PKG + "ThreadPoolExecutor";
    private static final String FJT = PKG + "ForkJoinTask";
    private static final String VIRTUAL = PKG + "ThreadPerTaskExecutor";
    private static final String CF = PKG + "CompletableFuture";

    @Override
    public String name() {
        return "executor";
    }

    @Override
    public ConfigKey<Boolean> switchKey() {
        return ENABLED;
    }

    /**
     * Names that only the transformed classes (and their few callers) carry: their own method names
     * ({@code runWorker}, {@code finishCompletion}, ...) rather than the widely referenced class names, so that
     * the many application classes that merely use an executor skip Byte Buddy.
     */
    @Override
    public List<String> classFileMarkers() {
        return List.of("runWorker", "beforeExecute", "afterExecute", "reExecutePeriodic",
                "ThreadPoolExecutor$DiscardOldestPolicy", "finishCompletion", "poolSubmit", "externalSubmit",
                "executeEnabledScheduledTask", "doExec", "ForkJoinTask$InterruptibleTask",
                "CompletableFuture$AsynchronousCompletionTask", "CompletableFuture$ThreadPerTaskExecutor",
                "java/util/concurrent/ThreadPerTaskExecutor");
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
        String name = name();
        AgentBuilder b = builder
                .type(named(TPE))
                .transform(advice.transformer(name, a -> a
                        .advice(method("execute", 1).and(takesArgument(0, Runnable.class)), SubmitAdvice.class.getName())
                        .advice(method("reject", 1), RejectAdvice.class.getName())
                        .advice(method("remove", 1).and(returns(boolean.class)), RemoveAdvice.class.getName())
                        .advice(method("shutdownNow", 0), ShutdownNowAdvice.class.getName())
                        .advice(beforeExecute(), BeforeExecuteAdvice.class.getName())
                        .advice(afterExecute(), AfterExecuteAdvice.class.getName())));
        // pools that override the hooks without calling super (Spring's ThreadPoolTaskExecutor) still report
        b = b.type(not(named(TPE)).and(not(isInterface())).and(declaresMethod(beforeExecute().or(afterExecute())))
                        .and(hasSuperType(named(TPE))))
                .transform(advice.transformer(name, a -> a
                        .advice(beforeExecute(), BeforeExecuteAdvice.class.getName())
                        .advice(afterExecute(), AfterExecuteAdvice.class.getName())));
        b = b.type(named(PKG + "ScheduledThreadPoolExecutor"))
                .transform(advice.transformer(name, a -> a
                        .advice(method("delayedExecute", 1).or(method("reExecutePeriodic", 1)), ScheduleAdvice.class.getName())));
        b = b.type(named(TPE + "$DiscardOldestPolicy"))
                .transform(advice.transformer(name, a -> a
                        .advice(method("rejectedExecution", 2), DiscardOldestAdvice.class.getName())));
        b = b.type(named(PKG + "FutureTask"))
                .transform(advice.transformer(name, a -> a
                        .advice(method("cancel", 1).and(takesArgument(0, boolean.class)), FutureCancelAdvice.class.getName())));
        b = b.type(named(PKG + "ForkJoinPool"))
                .transform(advice.transformer(name, a -> a
                        .advice(method("externalSubmit", 1).or(method("executeEnabledScheduledTask", 1)),
                                SubmitAdvice.class.getName())
                        .advice(method("poolSubmit", 2), PoolSubmitAdvice.class.getName())));
        b = b.type(named(FJT))
                .transform(advice.transformer(name, a -> a
                        .advice(method("doExec", 0), RunJobAdvice.class.getName())
                        .advice(taskCancel(), TaskCancelAdvice.class.getName())));
        // the JDK's fork/join tasks that override cancel without super (JDK 19+ InterruptibleTask and kin)
        b = b.type(nameStartsWith(PKG).and(not(named(FJT))).and(declaresMethod(taskCancel())).and(hasSuperType(named(FJT))))
                .transform(advice.transformer(name, a -> a.advice(taskCancel(), TaskCancelAdvice.class.getName())));
        b = b.type(namedOneOf(CF + "$AsyncRun", CF + "$AsyncSupply", CF + "$Completion",
                        VIRTUAL + "$TaskRunner", VIRTUAL + "$ThreadBoundFuture"))
                .transform(advice.transformer(name, a -> a.advice(method("run", 0), RunJobAdvice.class.getName())));
        return b.type(namedOneOf(CF + "$ThreadPerTaskExecutor", VIRTUAL))
                .transform(advice.transformer(name, a -> a
                        .advice(method("execute", 1).and(takesArgument(0, Runnable.class))
                                        .or(method("submit", 1).and(takesArgument(0, Callable.class))),
                                SubmitAdvice.class.getName())));
    }

    private static ElementMatcher.Junction<MethodDescription> method(String name, int arguments) {
        return named(name).and(takesArguments(arguments)).and(not(isAbstract()));
    }

    private static ElementMatcher.Junction<MethodDescription> beforeExecute() {
        return method("beforeExecute", 2).and(takesArgument(0, Thread.class)).and(takesArgument(1, Runnable.class));
    }

    private static ElementMatcher.Junction<MethodDescription> afterExecute() {
        return method("afterExecute", 2).and(takesArgument(0, Runnable.class)).and(takesArgument(1, Throwable.class));
    }

    private static ElementMatcher.Junction<MethodDescription> taskCancel() {
        return method("cancel", 1).and(takesArgument(0, boolean.class)).and(returns(boolean.class));
    }
}

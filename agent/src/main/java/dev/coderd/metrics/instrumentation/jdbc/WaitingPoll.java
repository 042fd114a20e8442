package dev.coderd.metrics.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.asm.MemberSubstitution;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * A pool's blocking {@code poll(timeout, unit)} for a connection, in the one method that reaches it only when
 * no idle connection was found and no more may be opened, becomes {@link JdbcBridge#waitingPoll}: it marks
 * the borrow as a wait, then polls as before. A member substitution rather than advice on the queue, which
 * the JDK owns and every other thread uses too.
 */
public final class WaitingPoll {
    private WaitingPoll() {}

    /** In {@code borrow}, calls of {@code queueType.poll(long, TimeUnit)} become {@code JdbcBridge.waitingPoll(queue, timeout, unit)}. */
    public static AsmVisitorWrapper in(ElementMatcher<? super MethodDescription> borrow, Class<? extends BlockingQueue> queueType) {
        return MemberSubstitution.relaxed()
                .method(named("poll").and(isDeclaredBy(named(queueType.getName()))).and(takesArguments(long.class, TimeUnit.class)))
                .replaceWith(bridge())
                .on(borrow);
    }

    private static MethodDescription bridge() {
        try {
            return new MethodDescription.ForLoadedMethod(
                    JdbcBridge.class.getMethod("waitingPoll", BlockingQueue.class, long.class, TimeUnit.class));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}

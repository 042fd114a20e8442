package dev.coderd.metrics.instrumentation.jdbc.hikari;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code HikariPool.addBagItem(int)}, which HikariCP's {@code ConcurrentBag.borrow} calls on the
 * borrowing thread when it found no idle connection, right before it waits for one (the housekeeper calls it
 * too, outside any borrow: not a wait).
 */
public final class WaitAdvice {
    private WaitAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter() {
        JdbcBridge.acquireWait();
    }
}

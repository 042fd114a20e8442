package dev.coderd.metrics.instrumentation.jdbc.dbcp;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of commons-pool's {@code LinkedBlockingDeque.takeFirst()} and timed {@code pollFirst}:
 * {@code GenericObjectPool.borrowObject} blocks there only when it found no idle object and the pool is at
 * its maximum. Outside a borrow (another use of the deque) the recorder ignores it.
 */
public final class BlockingTakeAdvice {
    private BlockingTakeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter() {
        JdbcBridge.acquireWait();
    }
}

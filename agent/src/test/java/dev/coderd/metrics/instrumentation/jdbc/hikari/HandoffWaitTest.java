package dev.coderd.metrics.instrumentation.jdbc.hikari;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import dev.coderd.metrics.bridge.jdbc.JdbcHook;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The wait of HikariCP's {@code ConcurrentBag.borrow}, its {@code handoffQueue.poll}, reaches the hook and still polls. */
class HandoffWaitTest {
    /** The shape of HikariCP's ConcurrentBag: borrow polls the handoff queue only when no idle entry was found. */
    public static class Bag {
        final SynchronousQueue<String> handoffQueue = new SynchronousQueue<>(true);
        public String idle;

        public String borrow(long timeout, TimeUnit unit) throws InterruptedException {
            if (idle != null) {
                return idle;
            }
            return handoffQueue.poll(timeout, unit);
        }
    }

    @AfterEach
    void uninstall() {
        JdbcBridge.install(null);
    }

    @Test
    void aBorrowThatFindsNoIdleEntryWaitsAndTheWaitIsReported() throws Exception {
        List<String> events = new ArrayList<>();
        JdbcBridge.install(new Recording(events));
        Class<?> woven = new ByteBuddy().redefine(Bag.class).visit(HikariInstrumentation.handoffWait()).make()
                .load(new ClassLoader(getClass().getClassLoader()) { }, ClassLoadingStrategy.Default.CHILD_FIRST).getLoaded();
        Object bag = woven.getDeclaredConstructor().newInstance();
        java.lang.reflect.Method borrow = woven.getMethod("borrow", long.class, TimeUnit.class);

        woven.getDeclaredField("idle").set(bag, "idle connection");
        assertThat(borrow.invoke(bag, 1L, TimeUnit.MILLISECONDS)).isEqualTo("idle connection");
        assertThat(events).isEmpty();

        woven.getDeclaredField("idle").set(bag, null);
        assertThat(borrow.invoke(bag, 20L, TimeUnit.MILLISECONDS)).isNull(); // timed out, as without the agent
        assertThat(events).containsExactly("wait");
    }

    private static final class Recording implements JdbcHook {
        private final List<String> events;

        Recording(List<String> events) {
            this.events = events;
        }

        @Override public void acquireWait() { events.add("wait"); }
        @Override public long executeStart() { return 0; }
        @Override public void executeEnd(long start, Object statement, String sql) { }
        @Override public long internalStart() { return 0; }
        @Override public void internalEnd(long start) { }
        @Override public void prepared(Object statement, String sql) { }
        @Override public void batchAdded(Object statement, String sql) { }
        @Override public void batchCleared(Object statement) { }
        @Override public boolean dataSourceEnter() { return false; }
        @Override public void dataSourceExit(boolean outermost, Object dataSource, boolean gotOne) { }
        @Override public void poolStarted(Object pool, Object config) { }
        @Override public void dbcpStarted(Object dataSource) { }
        @Override public void tomcatJdbcStarted(Object pool) { }
        @Override public void poolShutdown(Object pool) { }
        @Override public void acquireStart() { }
        @Override public void acquireEnd(Object pool) { }
        @Override public void connectionEvicting(Object pool, Object connection, String reason) { }
        @Override public void connectionClosing(Object pool, Object connection, String reason) { }
    }
}

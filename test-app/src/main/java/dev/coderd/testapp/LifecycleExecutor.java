package dev.coderd.testapp;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Coder's lifecycle executor: every {@code coderd.lifecycle.period} (default 10 s) it looks for workspaces due to
 * stop or start. A periodic task on a scheduled executor; each tick is one background job.
 */
@Component
public class LifecycleExecutor {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lifecycle-executor");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong ticks = new AtomicLong();

    public LifecycleExecutor(@Value("${coderd.lifecycle.period:10s}") Duration period) {
        long ms = Math.max(10, period.toMillis());
        scheduler.scheduleAtFixedRate(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        ticks.incrementAndGet(); // a real one would query the workspaces due for autostart and autostop
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }
}

package dev.coderd.testapp;

import jakarta.annotation.PreDestroy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** The build pool: each accepted {@code POST /workspaces/{workspace}/builds} runs as a {@link WorkspaceBuildJob}. */
@Component
public class WorkspaceBuilds {
    static final long DEFAULT_DURATION_MS = 100;

    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "workspace-build-" + threads.incrementAndGet());
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> { }); // a failed build is reported, not a crash
        return t;
    });
    private final NotificationService notifications;

    public WorkspaceBuilds(NotificationService notifications) {
        this.notifications = notifications;
    }

    /** Queues a build; {@code durationMs} (optional in the request) is how long the apply takes. */
    void start(String workspace, String transition, Object durationMs) {
        long ms = durationMs instanceof Number ? ((Number) durationMs).longValue() : DEFAULT_DURATION_MS;
        pool.execute(new WorkspaceBuildJob(workspace, transition, Math.max(0, Math.min(ms, 60_000)), notifications));
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}

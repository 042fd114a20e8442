package dev.coderd.testapp;

import jakarta.annotation.PreDestroy;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * The build pool, Spring's {@link ThreadPoolTaskExecutor} as a Spring service would have it: each accepted
 * {@code POST /workspaces/{workspace}/builds} runs there as a {@link WorkspaceBuildJob}.
 */
@Component
public class WorkspaceBuilds {
    static final long DEFAULT_DURATION_MS = 100;

    private final ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
    private final NotificationService notifications;

    public WorkspaceBuilds(NotificationService notifications) {
        this.notifications = notifications;
        pool.setCorePoolSize(2);
        pool.setMaxPoolSize(2);
        pool.setThreadFactory(r -> {
            Thread t = new Thread(r);
            t.setName("workspace-build-" + t.getId());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((thread, e) -> { }); // a failed build is reported, not a crash
            return t;
        });
        pool.initialize();
    }

    /** Queues a build; {@code durationMs} (optional in the request) is how long the apply takes. */
    void start(String workspace, String transition, Object durationMs) {
        long ms = durationMs instanceof Number ? ((Number) durationMs).longValue() : DEFAULT_DURATION_MS;
        pool.execute(new WorkspaceBuildJob(workspace, transition, Math.max(0, Math.min(ms, 60_000)), notifications));
    }

    @PreDestroy
    void stop() {
        pool.shutdown();
    }
}

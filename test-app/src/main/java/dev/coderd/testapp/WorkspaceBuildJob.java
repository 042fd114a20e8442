package dev.coderd.testapp;

/**
 * One workspace build, run on the build pool ({@link WorkspaceBuilds}): it "applies" the workspace's template for
 * a while, tells the owner how it went ({@link NotificationService}), and throws when the apply fails (the
 * workspace named {@code broken} always fails), as a provisioner job would.
 */
final class WorkspaceBuildJob implements Runnable {
    static final String BROKEN_WORKSPACE = "broken";

    private final String workspace;
    private final String transition;
    private final long durationMs;
    private final NotificationService notifications;

    WorkspaceBuildJob(String workspace, String transition, long durationMs, NotificationService notifications) {
        this.workspace = workspace;
        this.transition = transition;
        this.durationMs = durationMs;
        this.notifications = notifications;
    }

    @Override
    public void run() {
        try {
            Thread.sleep(durationMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        boolean succeeded = !workspace.equals(BROKEN_WORKSPACE);
        notifications.buildFinished(workspace, transition, succeeded);
        if (!succeeded) {
            throw new IllegalStateException("terraform apply failed for workspace " + workspace);
        }
    }
}

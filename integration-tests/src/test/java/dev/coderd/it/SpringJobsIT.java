package dev.coderd.it;

import static dev.coderd.it.JobsIT.BUILDS;
import static dev.coderd.it.JobsIT.COMPLETED;
import static dev.coderd.it.JobsIT.CURRENT;
import static dev.coderd.it.JobsIT.ENQUEUED;
import static dev.coderd.it.JobsIT.STARTED;
import static dev.coderd.it.JobsIT.counts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.support.Artifacts;
import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The test-app's background jobs (Spring Boot 3 on Tomcat): workspace builds on a thread pool, their
 * notifications as {@code CompletableFuture} stages, the lifecycle executor's periodic tick; and no job of
 * Tomcat's, Spring MVC's or the JDK's after HTTP traffic of every kind.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.coderd.it.support.Jdk#all")
class SpringJobsIT {
    @Parameter
    Jdk jdk;

    @Test
    void buildsNotificationsAndTheLifecycleTickAreTheOnlyJobsAfterHttpTraffic() {
        int appPort = Ports.free();
        int metricsPort = Ports.free();
        try (ForkedJvm app = ForkedJvm.on(jdk).agent("port=" + metricsPort)
                .jar(Artifacts.testAppJar(), "--server.port=" + appPort, "--coderd.lifecycle.period=200ms")
                .start("test-app ready on port (\\d+)")) {
            String base = "http://127.0.0.1:" + appPort;
            assertThat(Http.post(base + "/api/v2/workspaces/dev/builds", "{\"transition\":\"start\",\"duration_ms\":50}").statusCode()).isEqualTo(201);
            assertThat(Http.post(base + "/api/v2/workspaces/dev/builds", "{\"transition\":\"stop\",\"duration_ms\":50}").statusCode()).isEqualTo(201);
            assertThat(Http.post(base + "/api/v2/workspaces/broken/builds", "{\"transition\":\"start\",\"duration_ms\":50}").statusCode()).isEqualTo(201);
            assertThat(Http.post(base + "/api/v2/workspaces/dev/builds", "{}").statusCode()).isEqualTo(400); // no build
            for (String path : new String[] {"/api/v2/users/alice", "/api/v2/users/nobody", "/api/v2/debug/panic",
                    "/api/v2/debug/slow?ms=20", "/api/v2/debug/redirect", "/api/v2/debug/forward", "/no-such-page"}) {
                Http.get(base + path);
            }
            assertThat(Http.get(base + "/api/v2/debug/async?ms=20").statusCode()).isEqualTo(200); // one CoderApi stage

            Exposition m = settled(metricsPort);
            assertThat(counts(m, "WorkspaceBuildJob")).isEqualTo("enqueued=3 started=3 completed=3 current=0");
            assertThat(m.value(BUILDS + "_count", "status", "success")).isEqualTo(2.0);
            assertThat(m.value(BUILDS + "_count", "status", "failed")).isEqualTo(1.0);
            assertThat(counts(m, "NotificationService")).isEqualTo("enqueued=6 started=6 completed=6 current=0");
            assertThat(counts(m, "CoderApi")).isEqualTo("enqueued=1 started=1 completed=1 current=0");
            double ticks = m.value(STARTED, "type", "LifecycleExecutor");
            assertThat(ticks).isGreaterThanOrEqualTo(1.0);
            assertThat(m.value(ENQUEUED, "type", "LifecycleExecutor") - ticks).isEqualTo(m.value(CURRENT, "type", "LifecycleExecutor"));

            Set<String> types = new TreeSet<>();
            m.samples(ENQUEUED).forEach(s -> types.add(s.labels().get("type")));
            assertThat(types).containsExactly("CoderApi", "LifecycleExecutor", "NotificationService", "WorkspaceBuildJob");
        }
    }

    /** Once the builds, their six notification stages, the async request's stage and a lifecycle tick are done. */
    static Exposition settled(int metricsPort) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Exposition m = Http.scrape(metricsPort);
            if ((eq(m, "WorkspaceBuildJob", 3) && eq(m, "NotificationService", 6) && eq(m, "CoderApi", 1)
                    && m.value(COMPLETED, "type", "LifecycleExecutor") != null
                    && m.value(COMPLETED, "type", "LifecycleExecutor") >= 1) || System.nanoTime() > deadline) {
                return m;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return m;
            }
        }
    }

    private static boolean eq(Exposition m, String type, double completed) {
        Double v = m.value(COMPLETED, "type", type);
        return v != null && v == completed;
    }
}

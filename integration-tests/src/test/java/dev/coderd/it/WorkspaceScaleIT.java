package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.support.Artifacts;
import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import dev.coderd.it.support.Http;
import dev.coderd.it.support.Jdk;
import dev.coderd.it.support.Ports;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 200,000 stored workspace series (200 workspaces of 1,000): the intake's rate and the aggregator's collect time,
 * measured and printed; a scrape during the burst; a full queue answering 503 with Retry-After, every push
 * accounted for.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.coderd.it.support.Jdk#all")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkspaceScaleIT {
    static final int WORKSPACES = 200;
    static final int PER_WORKSPACE = 1000;

    @Parameter
    Jdk jdk;
    ForkedJvm app;
    int metricsPort;

    @BeforeParameterizedClassInvocation
    void start() {
        metricsPort = Ports.free();
        app = ForkedJvm.on(jdk).agent("port=" + metricsPort + ",intake.token=" + WorkspaceMetricsIT.TOKEN + ",workspace.queue=4")
                .jar(Artifacts.testAppJar(), "--server.port=" + Ports.free()).start("test-app ready on port (\\d+)");
    }

    @AfterParameterizedClassInvocation
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    static String bundle(int workspace) {
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < PER_WORKSPACE; i++) {
            m.append(i == 0 ? "" : ",").append("{\"name\":\"agent_metric_").append(i % 10).append("\",\"type\":\"gauge\",\"value\":")
                    .append(i).append(",\"labels\":[{\"name\":\"n\",\"value\":\"").append(i).append("\"}]}");
        }
        return WorkspaceMetricsIT.bundle("ws-" + workspace, m.toString());
    }

    @Test
    void twoHundredThousandSeriesAreTakenInAndCollectedInUnderASecond() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int w = 0; w < WORKSPACES; w++) {
            bodies.add(bundle(w));
        }
        ExecutorService pushers = Executors.newFixedThreadPool(4);
        int accepted = 0;
        int refused = 0;
        long start = System.nanoTime();
        List<Future<HttpResponse<String>>> burst = new ArrayList<>();
        // every bundle pushed until accepted: a 503 carries Retry-After and is retried at once
        List<Integer> pending = new ArrayList<>();
        for (int w = 0; w < WORKSPACES; w++) {
            pending.add(w);
        }
        Exposition during = null;
        while (!pending.isEmpty()) {
            burst.clear();
            for (int w : pending) {
                String body = bodies.get(w);
                burst.add(pushers.submit(() -> WorkspaceMetricsIT.push(metricsPort, body)));
            }
            if (during == null) {
                during = Http.scrape(metricsPort); // a scrape in the middle of the burst answers
            }
            List<Integer> again = new ArrayList<>();
            for (int i = 0; i < burst.size(); i++) {
                HttpResponse<String> r = burst.get(i).get();
                if (r.statusCode() == 202) {
                    accepted++;
                } else {
                    assertThat(r.statusCode()).isEqualTo(503);
                    assertThat(r.headers().firstValue("Retry-After")).contains("1");
                    refused++;
                    again.add(pending.get(i));
                }
            }
            pending = again;
        }
        Http.awaitScrape(metricsPort,
                e -> Double.valueOf(WORKSPACES * PER_WORKSPACE).equals(e.value("coderd_agent_aggregator_count_total")));
        double seconds = (System.nanoTime() - start) / 1e9;
        Exposition full = Http.scrape(metricsPort); // counters are read before the aggregator's view within one scrape
        pushers.shutdown();
        assertThat(accepted).isEqualTo(WORKSPACES);
        assertThat(full.value("coderd_agent_aggregator_count_total")).isEqualTo(200_000.0);
        assertThat(full.value("coderd_agent_aggregator_workspace_count_total")).isEqualTo(200.0);
        assertThat(full.value("coderd_metrics_agent_workspace_bundles_total", "result", "accepted")).isEqualTo(200.0);
        assertThat(full.value("coderd_metrics_agent_workspace_bundles_total", "result", "applied")).isEqualTo(200.0);
        assertThat(full.value("coderd_metrics_agent_workspace_bundles_total", "result", "queue_full")).isEqualTo((double) refused);
        assertThat(full.value("coderd_metrics_agent_workspace_samples_total")).isEqualTo(200_000.0);
        assertThat(during.value("promhttp_metric_handler_requests_in_flight")).isEqualTo(1.0);

        Exposition a = Http.scrape(metricsPort);
        long scrapeStart = System.nanoTime();
        Exposition b = Http.scrape(metricsPort);
        double scrapeMillis = (System.nanoTime() - scrapeStart) / 1e6;
        double collectNanos = b.delta(a, "coderd_agent_aggregator_collect_nanoseconds_sum")
                / b.delta(a, "coderd_agent_aggregator_collect_nanoseconds_count");
        assertThat(b.samples("coderd_workspace_agent_metric_3")).hasSize(WORKSPACES * PER_WORKSPACE / 10);
        assertThat(collectNanos).isLessThan(1e9);
        System.out.printf("[%s] intake: %d samples in %.2f s = %.0f samples/s (%d pushes refused 503 and retried); "
                        + "collect of 200,000 series %.1f ms; whole scrape %.0f ms%n", jdk, WORKSPACES * PER_WORKSPACE, seconds,
                WORKSPACES * PER_WORKSPACE / seconds, refused, collectNanos / 1e6, scrapeMillis);
    }
}

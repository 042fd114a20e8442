package dev.coderd.metrics.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import org.junit.jupiter.api.Test;

class SeriesLimiterTest {
    @Test
    void pastTheLimitNewLabelSetsShareOneOtherSeriesAndEachObservationThereIsCounted() {
        AgentRegistry registry = new AgentRegistry(2);
        SeriesLimiter<CounterDataPoint> jobs = registry.limitedCounter("coderd_test_jobs_total", "Jobs.", "type", "status");

        jobs.get("reaper", "ok").inc();
        jobs.get("builder", "ok").inc(2);
        jobs.get("reaper", "ok").inc();        // admitted before: still its own series
        jobs.get("mailer", "ok").inc();        // third label set: OTHER
        jobs.get("indexer", "failed").inc(4);  // fourth: OTHER as well

        assertThat(Expositions.text(registry.registry(), "coderd_test_jobs", "coderd_metrics_agent_dropped_series")).isEqualTo("""
                # HELP coderd_metrics_agent_dropped_series_total Observations recorded in a family's OTHER series because it reached its series limit.
                # TYPE coderd_metrics_agent_dropped_series_total counter
                coderd_metrics_agent_dropped_series_total{metric="coderd_test_jobs_total"} 2.0
                # HELP coderd_test_jobs_total Jobs.
                # TYPE coderd_test_jobs_total counter
                coderd_test_jobs_total{status="OTHER",type="OTHER"} 5.0
                coderd_test_jobs_total{status="ok",type="builder"} 2.0
                coderd_test_jobs_total{status="ok",type="reaper"} 2.0
                """);
    }

    @Test
    void noOtherSeriesShowsBeforeTheLimitIsReached() {
        AgentRegistry registry = new AgentRegistry(5);
        registry.limitedGauge("coderd_test_open", "Open.", "kind").get("a").set(3);

        assertThat(Expositions.text(registry.registry(), "coderd_test_open")).isEqualTo("""
                # HELP coderd_test_open Open.
                # TYPE coderd_test_open gauge
                coderd_test_open{kind="a"} 3.0
                """);
    }
}

package dev.coderd.metrics.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a scrape reads, and in which order. */
class AgentRegistryTest {
    /**
     * A request that ends while a scrape runs is in flight or counted, never in neither: the in-flight gauge is read
     * before the counter the request's end adds to. The client's registry collects in hash order (different in
     * each registry, as identity hashes are), so the ordering is checked in 200 registries.
     */
    @Test
    void inFlightGaugesAreReadBeforeEveryOtherFamilyWhateverTheRegistrysHashOrder() {
        for (int n = 0; n < 200; n++) {
            AgentRegistry registry = new AgentRegistry(2000);
            InFlightGauge inFlight = registry.limitedGauge("coderd_api_concurrent_requests", "In flight.", "path").get("/x");
            inFlight.inc();
            AtomicInteger processed = new AtomicInteger();
            // the request ends while the scrape collects the counter: processed +1, then in flight -1
            registry.registry().register(new Collector() {
                @Override
                public MetricSnapshot collect() {
                    if (processed.getAndIncrement() == 0) {
                        inFlight.dec();
                    }
                    return CounterSnapshot.builder().name("coderd_api_requests_processed").help("Processed.")
                            .dataPoint(CounterDataPointSnapshot.builder().value(processed.get()).build()).build();
                }

                @Override
                public String getPrometheusName() {
                    return "coderd_api_requests_processed";
                }
            });
            String scrape = Expositions.text(registry.registry(), "coderd_api_");
            assertThat(scrape).as("registry %d", n).contains("coderd_api_concurrent_requests{path=\"/x\"} 1.0",
                    "coderd_api_requests_processed_total 1.0");
        }
    }

    @Test
    void aScrapeOfSomeNamesReadsOnlyThoseInFlightGaugesFirst() {
        AgentRegistry registry = new AgentRegistry(2000);
        registry.limitedGauge("coderd_api_concurrent_requests", "In flight.", "path").get("/x").inc();
        registry.limitedGauge("coderd_api_concurrent_websockets", "Open.", "path").get("/ws").inc();
        registry.counter("coderd_api_requests_processed_total", "Processed.").labelValues().inc();
        assertThat(registry.registry().scrape(name -> !name.equals("coderd_api_concurrent_websockets")).stream()
                .map(s -> s.getMetadata().getPrometheusName()).toList())
                .containsExactly("coderd_api_concurrent_requests", "coderd_api_requests_processed", "coderd_metrics_agent_dropped_series");
    }
}

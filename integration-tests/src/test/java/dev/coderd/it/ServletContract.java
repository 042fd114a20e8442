package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.Http;
import org.junit.jupiter.api.Test;

/** What servlet containers add to the contract: forwards count once, async requests end on completion. */
abstract class ServletContract extends HttpApiContract {
    @Test
    void aForwardCountsOnceUnderTheOriginalRoute() {
        Call forward = call(Endpoint.FORWARD);
        Call user = call(Endpoint.USER);
        Exposition before = Http.scrape(metricsPort);
        assertThat(request(forward.path())).isEqualTo(200);
        Exposition after = settled();
        assertThat(after.delta(before, PROCESSED, "code", "200", "method", "GET", "path", forward.route())).isEqualTo(1.0);
        assertThat(after.delta(before, PROCESSED, "code", "200", "method", "GET", "path", user.route())).isEqualTo(0.0);
    }

    @Test
    void anAsyncRequestEndsWhenItsContextCompletes() {
        Call async = call(Endpoint.ASYNC_200MS);
        Exposition before = Http.scrape(metricsPort);
        assertThat(request(async.path())).isEqualTo(200);
        Exposition after = settled();
        String bucket = LATENCY + "_bucket";
        assertThat(after.delta(before, PROCESSED, "code", "200", "method", "GET", "path", async.route())).isEqualTo(1.0);
        assertThat(after.delta(before, bucket, "method", "GET", "path", async.route(), "le", "100.0")).isEqualTo(0.0);
        assertThat(after.delta(before, bucket, "method", "GET", "path", async.route(), "le", "500.0")).isEqualTo(1.0);
        assertThat(after.value(CONCURRENT, "method", "GET", "path", async.route())).isEqualTo(0.0);
    }}

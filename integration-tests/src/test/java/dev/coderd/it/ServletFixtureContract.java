package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.support.Exposition;
import org.junit.jupiter.api.Test;

/** The servlet fixtures' shared catalogue ({@code fixtures.ServletCatalogue}); subclasses only launch. */
abstract class ServletFixtureContract extends ServletContract {
    @Test
    void anIncludeCountsOnceUnderTheOriginalRoute() {
        Exposition before = settled();
        assertThat(request("/api/v2/include")).isEqualTo(200);
        Exposition after = settled();
        assertThat(after.delta(before, PROCESSED, "code", "200", "method", "GET", "path", "/api/v2/include")).isEqualTo(1.0);
        assertThat(after.delta(before, PROCESSED, "code", "200", "method", "GET", "path", usersRoute())).isEqualTo(0.0);
        assertThat(after.delta(before, LATENCY + "_count", "method", "GET", "path", "/api/v2/include")).isEqualTo(1.0);
    }

    /** The route of the users servlet: a configured template, or its servlet mapping when none is configured. */
    abstract String usersRoute();

    @Override
    Call call(Endpoint endpoint) {
        return fixtureCall(endpoint, usersRoute());
    }
}

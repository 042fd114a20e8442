package dev.coderd.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.it.support.Exposition;
import dev.coderd.it.support.ForkedJvm;
import org.junit.jupiter.api.Test;

/**
 * The servlet fixtures' shared catalogue ({@code fixtures.ServletCatalogue}); a subclass names its fixture and
 * whether the users route comes from a configured template or, without one, from the servlet mapping.
 */
abstract class ServletFixtureContract extends ServletContract {
    private final Class<?> fixture;
    private final boolean configuredTemplate;

    ServletFixtureContract(Class<?> fixture, boolean configuredTemplate) {
        this.fixture = fixture;
        this.configuredTemplate = configuredTemplate;
    }

    @Override
    ForkedJvm launch(ForkedJvm.Builder builder, int appPort) {
        return startFixture(builder, fixture, appPort);
    }

    @Override
    String routes() {
        return configuredTemplate ? USERS_TEMPLATE : "";
    }

    /** The route of the users servlet: the configured template, or its servlet mapping. */
    String usersRoute() {
        return configuredTemplate ? USERS_TEMPLATE : "/api/v2/users/*";
    }

    @Override
    Call call(Endpoint endpoint) {
        return fixtureCall(endpoint, usersRoute());
    }

    @Test
    void anIncludeCountsOnceUnderTheOriginalRoute() {
        Exposition before = settled();
        assertThat(request("/api/v2/include")).isEqualTo(200);
        Exposition after = settled();
        assertThat(after.delta(before, PROCESSED, "code", "200", "method", "GET", "path", "/api/v2/include")).isEqualTo(1.0);
        assertThat(after.delta(before, PROCESSED, "code", "200", "method", "GET", "path", usersRoute())).isEqualTo(0.0);
        assertThat(after.delta(before, LATENCY + "_count", "method", "GET", "path", "/api/v2/include")).isEqualTo(1.0);
    }
}

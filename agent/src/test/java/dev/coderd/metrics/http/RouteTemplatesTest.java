package dev.coderd.metrics.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTemplatesTest {
    private final RouteTemplates templates = RouteTemplates.of(List.of(
            "/api/v2/users/{user}", "/api/v2/users/{user}/workspaces", "/api/v2/files/*", "/api/v2/*",
            "/api/v2/users/me/keys"));

    @Test
    void aParameterMatchesExactlyOneNonEmptySegment() {
        assertThat(templates.match("/api/v2/users/alice")).isEqualTo("/api/v2/users/{user}");
        assertThat(templates.match("/api/v2/users/alice/workspaces")).isEqualTo("/api/v2/users/{user}/workspaces");
        assertThat(templates.match("/api/v2/users/")).isEqualTo("/api/v2/*");
        assertThat(templates.match("/api/v2/users/alice/keys")).isEqualTo("/api/v2/*");
    }

    @Test
    void aTrailingStarMatchesTheRestIncludingNothing() {
        assertThat(templates.match("/api/v2/files/a/b/c.txt")).isEqualTo("/api/v2/files/*");
        assertThat(templates.match("/api/v2/files/")).isEqualTo("/api/v2/files/*");
        assertThat(templates.match("/api/v2/files")).isEqualTo("/api/v2/files/*");
    }

    @Test
    void theLongestLiteralPrefixWins() {
        assertThat(templates.match("/api/v2/users/me/keys")).isEqualTo("/api/v2/users/me/keys");
        assertThat(templates.match("/api/v2/buildinfo")).isEqualTo("/api/v2/*");
    }

    @Test
    void noTemplateNoMatch() {
        assertThat(templates.match("/healthz")).isNull();
        assertThat(templates.match("")).isNull();
        assertThat(templates.match(null)).isNull();
        assertThat(RouteTemplates.of(List.of()).match("/api/v2/users/alice")).isNull();
    }
}

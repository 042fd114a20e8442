package dev.coderd.metrics.config;

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

    @Test
    void aTemplateMatchesATemplateTextSegmentForSegment() {
        RouteTemplates rtc = RouteTemplates.of(List.of("/api/private/envagent/{workspace}/listen", "/api/private/turn"));
        assertThat(rtc.match("/api/private/envagent/{id}/listen")).isEqualTo("/api/private/envagent/{workspace}/listen");
        assertThat(rtc.match("/api/private/envagent/dev/listen")).isEqualTo("/api/private/envagent/{workspace}/listen");
        assertThat(rtc.match("/api/private/envagent/listen")).isNull();
        assertThat(rtc.match("/api/private/turn")).isEqualTo("/api/private/turn");
    }

    @Test
    void aVariableIsTheSegmentItStandsFor() {
        String listen = "/api/private/envagent/{workspace}/listen";
        assertThat(RouteTemplates.variable(listen, "workspace", "/api/private/envagent/dev-1/listen")).isEqualTo("dev-1");
        assertThat(RouteTemplates.variable(listen, "workspace", "/api/private/envagent/dev-1/connect")).isNull();
        assertThat(RouteTemplates.variable(listen, "workspace", null)).isNull();
        assertThat(RouteTemplates.variable(listen, "work", "/api/private/envagent/dev-1/listen")).isNull();
        assertThat(RouteTemplates.variable("/api/private/envagent/listen", "workspace", "/api/private/envagent/listen")).isNull();
        assertThat(RouteTemplates.variable("/a/{x}/*", "x", "/a/b/c/d")).isEqualTo("b");
        assertThat(RouteTemplates.variable("/a/{x}", "x", "/a/b/")).isNull();
    }
}

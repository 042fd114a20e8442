package dev.coderd.metrics.workspace;

import dev.coderd.metrics.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/** The keys of the workspace-metrics intake and aggregator ({@code coderd_workspace_*}, {@code coderd_agent_aggregator_*}). */
public final class WorkspaceKeys {
    public static final ConfigKey<Boolean> ENABLED = ConfigKey.bool("workspace.enabled", true,
            "Forwarded workspace metrics: `false` turns the intake, the aggregator and every `coderd_workspace_*` and "
                    + "`coderd_agent_aggregator_*` series off (the agent-side counterpart of the `workspace_id` drop rule).");
    public static final ConfigKey<String> INTAKE_TOKEN = ConfigKey.string("intake.token", "",
            "Bearer token that workspace agents send to `POST /v1/workspace-metrics` (compared in constant time); "
                    + "without one the path answers 404.");
    public static final ConfigKey<Duration> EXPIRY = ConfigKey.duration("workspace.expiry", "2m",
            "A forwarded workspace series disappears this long after its last push.");
    public static final ConfigKey<Integer> MAX_SERIES = ConfigKey.positiveInt("workspace.max-series", 250000,
            "Forwarded workspace series stored at most, all workspaces together; a bundle that would pass it is refused whole.");
    public static final ConfigKey<Integer> MAX_SERIES_PER_WORKSPACE = ConfigKey.positiveInt("workspace.max-series-per-workspace",
            1000, "Forwarded series stored at most per workspace; a bundle that would pass it is refused whole.");
    public static final ConfigKey<Integer> QUEUE = ConfigKey.positiveInt("workspace.queue", 1024,
            "Bundles accepted and waiting to be applied at most; past it a push gets 503 with `Retry-After`.");

    public static final List<ConfigKey<?>> ALL = List.of(ENABLED, INTAKE_TOKEN, EXPIRY, MAX_SERIES, MAX_SERIES_PER_WORKSPACE, QUEUE);

    private WorkspaceKeys() {}
}

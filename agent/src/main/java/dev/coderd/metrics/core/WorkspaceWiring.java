package dev.coderd.metrics.core;

import dev.coderd.metrics.config.AgentConfig;
import dev.coderd.metrics.context.Clock;
import dev.coderd.metrics.exporter.MetricsListener;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.WorkspaceMetrics;
import dev.coderd.metrics.workspace.WorkspaceAggregator;
import dev.coderd.metrics.workspace.WorkspaceKeys;
import dev.coderd.metrics.ws.WebsocketRecorder;

/** Forwarded workspace metrics: the aggregator, its families, its intake on the listener, its deletion seam. */
final class WorkspaceWiring {
    private WorkspaceWiring() {}

    static void start(AgentConfig config, AgentRegistry registry, WebsocketRecorder websockets, MetricsListener listener) {
        if (!config.get(WorkspaceKeys.ENABLED)) {
            listener.workspaceIntakeOff("forwarded workspace metrics are off (workspace.enabled=false)");
            return;
        }
        WorkspaceMetrics metrics = new WorkspaceMetrics(registry);
        WorkspaceAggregator aggregator = new WorkspaceAggregator(new WorkspaceAggregator.Settings(config.get(WorkspaceKeys.EXPIRY),
                config.get(WorkspaceKeys.MAX_SERIES), config.get(WorkspaceKeys.MAX_SERIES_PER_WORKSPACE),
                config.get(WorkspaceKeys.QUEUE)), metrics, Clock.SYSTEM);
        metrics.expose(aggregator::collect);
        websockets.onAgentListenerClosed(aggregator::deleteWorkspace);
        aggregator.start();
        String token = config.get(WorkspaceKeys.INTAKE_TOKEN);
        if (token.isEmpty()) { // said on the listener's start-up line: the agent's output stays one line
            listener.workspaceIntakeOff("no intake token is set (intake.token, CODERD_METRICS_INTAKE_TOKEN)");
        } else {
            listener.workspaceIntake(token, aggregator, metrics);
        }
    }
}

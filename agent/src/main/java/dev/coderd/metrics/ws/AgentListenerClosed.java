package dev.coderd.metrics.ws;

/**
 * Hears that a workspace agent's listener websocket closed on this instance: the workspace-metrics
 * aggregator uses it to queue that workspace's series for deletion, so a workspace that moved to another
 * coderd leaves this endpoint.
 *
 * <pre>
 * websockets.onAgentListenerClosed(workspace -&gt; deletions.offer(workspace));
 * </pre>
 *
 * Only routes whose {@code websocket.rtc-roles} template names a {@code {workspace}} segment report one.
 */
@FunctionalInterface
public interface AgentListenerClosed {
    /**
     * The listener of {@code workspace} (the {@code {workspace}} segment of the session's request path, as sent)
     * closed. Called once per session, on the container's thread that closed it: hand the work off, do not block.
     */
    void closed(String workspace);
}

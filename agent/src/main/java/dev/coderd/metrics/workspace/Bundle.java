package dev.coderd.metrics.workspace;

import java.util.List;

/**
 * One push of a workspace agent, validated: every name is a valid Prometheus name, no label is reserved, every
 * value is finite, no series twice. Immutable.
 */
public record Bundle(String workspaceId, String userId, String agentName, List<Sample> samples) {
    /** One metric of a bundle; {@code labelNames} sorted, {@code labelValues} in the same order. */
    public record Sample(String name, boolean counter, double value, String[] labelNames, String[] labelValues) {}
}

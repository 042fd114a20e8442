package dev.coderd.metrics.core;

import dev.coderd.metrics.config.ConfigKey;
import dev.coderd.metrics.config.CoreKeys;
import dev.coderd.metrics.exporter.ListenerKeys;
import dev.coderd.metrics.http.HttpKeys;
import dev.coderd.metrics.instrumentation.InstrumentationModule;
import dev.coderd.metrics.sqlgauge.SqlGaugeKeys;
import dev.coderd.metrics.workspace.WorkspaceKeys;
import dev.coderd.metrics.ws.WebsocketKeys;
import dev.coderd.metrics.jobs.JobKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Every configuration key the agent knows, in the README's order: core, then each concern's own. */
public final class AgentKeys {
    private AgentKeys() {}

    public static List<ConfigKey<?>> all() {
        List<ConfigKey<?>> keys = new ArrayList<>(CoreKeys.ALL);
        keys.addAll(ListenerKeys.ALL);
        keys.addAll(HttpKeys.ALL);
        keys.addAll(WebsocketKeys.ALL);
        keys.addAll(JobKeys.ALL);
        keys.addAll(WorkspaceKeys.ALL);
        keys.addAll(SqlGaugeKeys.ALL);
        for (InstrumentationModule module : Instrumentations.all()) {
            keys.addAll(module.configKeys());
        }
        return Collections.unmodifiableList(keys);
    }
}

package dev.coderd.metrics.core;

import dev.coderd.metrics.bridge.AgentThread;
import dev.coderd.metrics.bridge.http.HttpBridge;
import dev.coderd.metrics.config.AgentConfig;
import dev.coderd.metrics.context.Clock;
import dev.coderd.metrics.context.RequestContext;
import dev.coderd.metrics.exporter.MetricsListener;
import dev.coderd.metrics.http.HttpKeys;
import dev.coderd.metrics.http.HttpRecorder;
import dev.coderd.metrics.instrumentation.AgentInstaller;
import dev.coderd.metrics.instrumentation.InstrumentationModule;
import dev.coderd.metrics.instrumentation.executor.ExecutorJobsHook;
import dev.coderd.metrics.instrumentation.executor.jdk.ExecutorInstrumentation;
import dev.coderd.metrics.instrumentation.http.HttpServerHook;
import dev.coderd.metrics.jobs.JobRecorder;
import dev.coderd.metrics.log.AgentLog;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.ApiMetrics;
import dev.coderd.metrics.metrics.HealthMetrics;
import dev.coderd.metrics.metrics.RuntimeMetrics;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * The running agent, once {@link AgentCore} decided it runs here and the bridge is on the boot path:
 * registry → shared context → recorders → hooks → listener → instrumentations. Each step fails alone: a
 * listener that cannot start leaves the instrumentation working, and the reverse.
 */
final class AgentRuntime {
    private AgentRuntime() {}

    static void start(Instrumentation inst, AgentConfig config, String version) {

        AgentRegistry registry = new AgentRegistry(config.seriesLimit());
        RequestContext requests = new RequestContext();
        HttpRecorder http = new HttpRecorder(new ApiMetrics(registry), config.get(HttpKeys.ROUTES), config.seriesLimit(),
                requests, Clock.SYSTEM);
        JobRecorder jobs = JobRecorder.create(registry, config, Clock.SYSTEM);
        List<InstrumentationModule> modules = Instrumentations.all();
        List<String> names = new ArrayList<>();
        modules.forEach(m -> names.add(m.name()));
        HealthMetrics health = new HealthMetrics(registry, version == null ? "unknown" : version, names);

        try {
            new MetricsListener(config.address(), config.port(), config.bindRetry(), registry,
                    new RuntimeMetrics(registry), health.bindFailures).start();
        } catch (Throwable t) {
            AgentLog.error("the metrics listener could not start", t);
        }
        AgentThread.daemon(HttpRecorder::warmUp, "coderd-metrics-warm-up").start();
        try {
            HttpBridge.install(new HttpServerHook(http));
            if (config.get(ExecutorInstrumentation.ENABLED)) {
                ExecutorJobsHook.install(inst, jobs);
                AgentThread.daemon(JobRecorder::warmUp, "coderd-metrics-warm-up-jobs").start();
            }
            AgentInstaller.install(inst, config, modules, health);
        } catch (Throwable t) {
            AgentLog.error("instrumentation could not be installed; no coderd_* metrics will be recorded", t);
        }
    }
}

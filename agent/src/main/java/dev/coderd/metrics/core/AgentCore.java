package dev.coderd.metrics.core;

import dev.coderd.metrics.bridge.HttpBridge;
import dev.coderd.metrics.config.AgentConfig;
import dev.coderd.metrics.config.MainFilter;
import dev.coderd.metrics.exporter.MetricsListener;
import dev.coderd.metrics.http.HttpRecorder;
import dev.coderd.metrics.instrumentation.AgentInstaller;
import dev.coderd.metrics.instrumentation.InstrumentationModule;
import dev.coderd.metrics.instrumentation.http.jdk.JdkHttpServerInstrumentation;
import dev.coderd.metrics.instrumentation.http.servlet.ServletInstrumentation;
import dev.coderd.metrics.instrumentation.http.spring.SpringMvcInstrumentation;
import dev.coderd.metrics.log.AgentLog;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.ApiMetrics;
import dev.coderd.metrics.metrics.HealthMetrics;
import dev.coderd.metrics.metrics.RuntimeMetrics;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent core's entry point, called once from premain through the agent's own class loader: reads the
 * configuration, builds the registry and recorders, starts the listener and installs the instrumentations.
 * Each step fails alone: a listener that cannot start leaves the instrumentation working, and the reverse.
 */
public final class AgentCore {
    private AgentCore() {}

    /** {@code version} is the jar manifest's {@code Implementation-Version}, as premain's loader read it. */
    public static void start(Instrumentation inst, String agentArgs, String version) {
        AgentConfig config = AgentConfig.load(agentArgs, System.getProperties(), System.getenv());
        config.problems().forEach(AgentLog::warn);
        if (!config.enabled()) {
            AgentLog.info("disabled (coderd.metrics.enabled=false); the application runs without the agent");
            return;
        }
        if (!MainFilter.allows(config.include(), config.exclude(), System.getProperty("sun.java.command"))) {
            return; // not this JVM: the allow or deny list says so, and it stays silent like a JDK tool
        }

        AgentRegistry registry = new AgentRegistry(config.seriesLimit());
        HttpRecorder http = new HttpRecorder(new ApiMetrics(registry), config.routeTemplates(), config.seriesLimit());
        List<InstrumentationModule> modules = List.of(
                new ServletInstrumentation(), new SpringMvcInstrumentation(), new JdkHttpServerInstrumentation(http));
        List<String> names = new ArrayList<>();
        modules.forEach(m -> names.add(m.name()));
        HealthMetrics health = new HealthMetrics(registry, version == null ? "unknown" : version, names);

        try {
            new MetricsListener(config.address(), config.port(), config.bindRetry(), registry,
                    new RuntimeMetrics(registry), health.bindFailures).start();
        } catch (Throwable t) {
            AgentLog.error("the metrics listener could not start", t);
        }
        Thread warmUp = new Thread(HttpRecorder::warmUp, "coderd-metrics-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        try {
            HttpBridge.install(http);
            AgentInstaller.install(inst, config, modules, health);
        } catch (Throwable t) {
            AgentLog.error("instrumentation could not be installed; no coderd_* metrics will be recorded", t);
        }
    }
}

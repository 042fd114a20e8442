package dev.coderd.metrics.core;

import dev.coderd.metrics.bridge.AgentThread;
import dev.coderd.metrics.bridge.http.HttpBridge;
import dev.coderd.metrics.bridge.jdbc.JdbcBridge;
import dev.coderd.metrics.bridge.websocket.WebsocketBridge;
import dev.coderd.metrics.config.AgentConfig;
import dev.coderd.metrics.context.Clock;
import dev.coderd.metrics.context.RequestContext;
import dev.coderd.metrics.db.DbRecorder;
import dev.coderd.metrics.db.PoolRecorder;
import dev.coderd.metrics.db.SqlSummarizer;
import dev.coderd.metrics.exporter.MetricsListener;
import dev.coderd.metrics.http.HttpKeys;
import dev.coderd.metrics.http.HttpRecorder;
import dev.coderd.metrics.instrumentation.AgentInstaller;
import dev.coderd.metrics.instrumentation.ClassLoadGate;
import dev.coderd.metrics.instrumentation.InstrumentationModule;
import dev.coderd.metrics.instrumentation.executor.ExecutorJobsHook;
import dev.coderd.metrics.instrumentation.executor.jdk.ExecutorInstrumentation;
import dev.coderd.metrics.instrumentation.http.HttpServerHook;
import dev.coderd.metrics.instrumentation.jdbc.DatabaseHook;
import dev.coderd.metrics.instrumentation.websocket.WebsocketSessionHook;
import dev.coderd.metrics.jobs.JobRecorder;
import dev.coderd.metrics.log.AgentLog;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.ApiMetrics;
import dev.coderd.metrics.metrics.DbMetrics;
import dev.coderd.metrics.metrics.HealthMetrics;
import dev.coderd.metrics.metrics.RtcMetrics;
import dev.coderd.metrics.metrics.RuntimeMetrics;
import dev.coderd.metrics.sqlgauge.AppDataSource;
import dev.coderd.metrics.ws.WebsocketKeys;
import dev.coderd.metrics.ws.WebsocketRecorder;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * The running agent, once {@link AgentCore} decided it runs here and the bridge exists: registry → shared
 * context → recorders → hooks → listener → instrumentations, which open the {@link ClassLoadGate}. Usually
 * on a background thread beside the application's start-up. Each step fails alone: a listener that cannot
 * start leaves the instrumentation working, and the reverse.
 */
final class AgentRuntime {
    /** Distinct SQL texts whose summaries are kept (see SqlSummarizer). */
    private static final int SQL_CACHE = 1024;

    private AgentRuntime() {}

    static void start(Instrumentation inst, AgentConfig config, String version, ClassLoadGate gate) {
        AgentRegistry registry = new AgentRegistry(config.seriesLimit());
        RequestContext requests = new RequestContext();
        ApiMetrics api = new ApiMetrics(registry);
        HttpRecorder http = new HttpRecorder(api, config.get(HttpKeys.ROUTES), config.seriesLimit(), requests, Clock.SYSTEM);
        WebsocketRecorder websockets = new WebsocketRecorder(api, new RtcMetrics(registry), config.get(WebsocketKeys.RTC_ROLES),
                config.seriesLimit(), Clock.SYSTEM);
        http.onWebsocketUpgrade(websockets::upgradeAttempted);
        PoolRecorder pools = new PoolRecorder(config.seriesLimit(), Clock.SYSTEM);
        DbRecorder db = new DbRecorder(new DbMetrics(registry, pools::readings), new SqlSummarizer(SQL_CACHE),
                config.seriesLimit(), requests, Clock.SYSTEM);
        JobRecorder jobs = JobRecorder.create(registry, config, Clock.SYSTEM);
        AppDataSource dataSources = SqlGaugeWiring.start(config, registry, pools);
        List<InstrumentationModule> modules = Instrumentations.all();
        List<String> names = new ArrayList<>();
        modules.forEach(m -> names.add(m.name()));
        HealthMetrics health = new HealthMetrics(registry, version == null ? "unknown" : version, names);

        try {
            MetricsListener listener = MetricsListener.create(config, registry, new RuntimeMetrics(registry), health.bindFailures);
            WorkspaceWiring.start(config, registry, websockets, listener);
            listener.start();
        } catch (Throwable t) {
            AgentLog.error("the metrics listener could not start", t);
        }
        AgentThread.daemon(() -> {
            HttpRecorder.warmUp();
            DbRecorder.warmUp();
            WebsocketRecorder.warmUp();
        }, "coderd-metrics-warm-up").start();
        try {
            HttpBridge.install(new HttpServerHook(http));
            JdbcBridge.install(new DatabaseHook(db, pools, dataSources));
            WebsocketBridge.install(new WebsocketSessionHook(websockets, http, requests));
            if (config.get(ExecutorInstrumentation.ENABLED)) {
                ExecutorJobsHook.install(inst, jobs);
                AgentThread.daemon(JobRecorder::warmUp, "coderd-metrics-warm-up-jobs").start();
            }
            AgentInstaller.install(inst, config, modules, health, gate);
        } catch (Throwable t) {
            AgentLog.error("instrumentation could not be installed; no coderd_* metrics will be recorded", t);
        }
    }
}

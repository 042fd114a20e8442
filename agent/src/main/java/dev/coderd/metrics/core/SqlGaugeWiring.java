package dev.coderd.metrics.core;

import dev.coderd.metrics.bridge.AgentThread;
import dev.coderd.metrics.config.AgentConfig;
import dev.coderd.metrics.context.Clock;
import dev.coderd.metrics.db.PoolRecorder;
import dev.coderd.metrics.log.AgentLog;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.SqlGaugeMetrics;
import dev.coderd.metrics.sqlgauge.AppDataSource;
import dev.coderd.metrics.sqlgauge.ConnectionSource;
import dev.coderd.metrics.sqlgauge.SqlGauge;
import dev.coderd.metrics.sqlgauge.SqlGaugeDefinitions;
import dev.coderd.metrics.sqlgauge.SqlGaugeKeys;
import dev.coderd.metrics.sqlgauge.SqlGaugeRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The SQL gauges: their definitions (license rules, the operator's file), where they connect, their runner. */
final class SqlGaugeWiring {
    private SqlGaugeWiring() {}

    /**
     * Starts the SQL gauges' thread; the answer is where the JDBC instrumentation offers data sources. Nothing is
     * read or built before there is a database to ask (the application's first data source, or the configured
     * URL at once): a service without one never loads the YAML parser for the license rules.
     */
    static AppDataSource start(AgentConfig config, AgentRegistry registry, PoolRecorder pools) {
        AppDataSource app = new AppDataSource();
        if (!config.get(SqlGaugeKeys.ENABLED)) {
            return app;
        }
        List<SqlGauge> declared = declared(config); // read now: a bad file is told at start-up
        AgentThread.daemon(() -> {
            try {
                if (config.get(SqlGaugeKeys.JDBC_URL).trim().isEmpty()) {
                    app.awaitFirst();
                }
                SqlGaugeRunner runner = build(config, declared, registry, pools, app);
                if (runner != null) {
                    runner.runForever();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | LinkageError e) {
                AgentLog.error("SQL gauges could not start; the coderd_license_* families stay absent", e);
            }
        }, "coderd-metrics-sql-gauges").start();
        return app;
    }

    /** The gauges of {@code sql-gauges.file}; none when it is not set or not valid (said in one line). */
    private static List<SqlGauge> declared(AgentConfig config) {
        String file = config.get(SqlGaugeKeys.FILE).trim();
        if (file.isEmpty()) {
            return List.of();
        }
        try {
            return SqlGaugeDefinitions.parse(Files.readString(Path.of(file)));
        } catch (Exception e) { // unreadable, not YAML, or a bad gauge: the file's gauges are not run, the others are
            AgentLog.warn("sql-gauges.file " + file + ": " + e.getMessage() + "; none of its gauges is run");
            return List.of();
        }
    }

    /** The runner of the license rules (unless turned off) and the declared gauges, exposed; null when none is to run. */
    private static SqlGaugeRunner build(AgentConfig config, List<SqlGauge> declared, AgentRegistry registry, PoolRecorder pools,
                                        AppDataSource app) {
        List<SqlGauge> gauges = SqlGaugeDefinitions.merge(
                config.get(SqlGaugeKeys.LICENSE) ? SqlGaugeDefinitions.license() : List.of(), declared);
        if (gauges.isEmpty()) {
            return null;
        }
        String url = config.get(SqlGaugeKeys.JDBC_URL).trim();
        SqlGaugeMetrics metrics = new SqlGaugeMetrics(registry, gauges.stream().map(SqlGauge::name).toList());
        SqlGaugeRunner runner = new SqlGaugeRunner(gauges, url.isEmpty()
                ? ConnectionSource.of(app, pools)
                : ConnectionSource.of(url, config.get(SqlGaugeKeys.JDBC_USER), config.get(SqlGaugeKeys.JDBC_PASSWORD), app),
                config.get(SqlGaugeKeys.INTERVAL), config.get(SqlGaugeKeys.TIMEOUT), config.seriesLimit(), metrics, Clock.SYSTEM,
                System::currentTimeMillis);
        try {
            metrics.expose(runner);
        } catch (IllegalArgumentException e) {
            AgentLog.warn("SQL gauges are not run: " + e.getMessage());
            return null;
        }
        return runner;
    }
}

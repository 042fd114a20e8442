package dev.coderd.metrics.core;

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

    /** Starts the runner when there are gauges; the answer is where the JDBC instrumentation offers data sources. */
    static AppDataSource start(AgentConfig config, AgentRegistry registry, PoolRecorder pools) {
        AppDataSource app = new AppDataSource();
        if (!config.get(SqlGaugeKeys.ENABLED)) {
            return app;
        }
        List<SqlGauge> gauges = config.get(SqlGaugeKeys.LICENSE) ? SqlGaugeDefinitions.license() : List.of();
        String file = config.get(SqlGaugeKeys.FILE).trim();
        if (!file.isEmpty()) {
            try {
                gauges = SqlGaugeDefinitions.merge(gauges, SqlGaugeDefinitions.parse(Files.readString(Path.of(file))));
            } catch (Exception e) { // unreadable, not YAML, or a bad gauge: the file's gauges are not run, the others are
                AgentLog.warn("sql-gauges.file " + file + ": " + e.getMessage() + "; none of its gauges is run");
            }
        }
        if (gauges.isEmpty()) {
            return app;
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
            return app;
        }
        runner.start();
        return app;
    }
}

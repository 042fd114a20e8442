package dev.coderd.metrics.sqlgauge;

import dev.coderd.metrics.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/** The keys of the SQL gauges (the {@code coderd_license_*} families and any the operator declares). */
public final class SqlGaugeKeys {
    public static final ConfigKey<Boolean> ENABLED = ConfigKey.bool("sql-gauges.enabled", true,
            "SQL gauges: `false` runs no query at all.");
    public static final ConfigKey<Boolean> LICENSE = ConfigKey.bool("sql-gauges.license", true,
            "The five `coderd_license_*` gauges over a coderd-like schema (`licenses` and `users` tables; the rules: "
                    + "[license-gauges.yaml](agent/src/main/resources/dev/coderd/metrics/sqlgauge/license-gauges.yaml)).");
    public static final ConfigKey<String> FILE = ConfigKey.string("sql-gauges.file", "",
            "A YAML file of SQL gauges (the form of `license-gauges.yaml`); a gauge of the same name replaces a license gauge.");
    public static final ConfigKey<Duration> INTERVAL = ConfigKey.duration("sql-gauges.interval", "30s",
            "How often each SQL gauge runs its query; a failing one is retried after twice as long each time, up to 32 times.");
    public static final ConfigKey<Duration> TIMEOUT = ConfigKey.duration("sql-gauges.timeout", "5s",
            "Statement timeout of an SQL gauge's query (whole seconds, at least 1).");
    public static final ConfigKey<String> JDBC_URL = ConfigKey.string("sql-gauges.jdbc-url", "",
            "Run the SQL gauges on this JDBC URL (the driver from the application's class path) instead of the "
                    + "application's own `DataSource`, the first one it takes a connection from.");
    public static final ConfigKey<String> JDBC_USER = ConfigKey.string("sql-gauges.jdbc-user", "",
            "User for `sql-gauges.jdbc-url`.");
    public static final ConfigKey<String> JDBC_PASSWORD = ConfigKey.string("sql-gauges.jdbc-password", "",
            "Password for `sql-gauges.jdbc-url` (better given as `CODERD_METRICS_SQL_GAUGES_JDBC_PASSWORD`).");

    public static final List<ConfigKey<?>> ALL = List.of(ENABLED, LICENSE, FILE, INTERVAL, TIMEOUT, JDBC_URL, JDBC_USER, JDBC_PASSWORD);

    private SqlGaugeKeys() {}
}

package dev.coderd.metrics.metrics;

import java.util.regex.Pattern;

/** Prometheus's classic name syntax, for names that come from outside (pushed bundles, configured gauges). */
public final class MetricNames {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private MetricNames() {}

    public static boolean isMetricName(String name) {
        return METRIC_NAME.matcher(name).matches();
    }

    /** A label name's syntax (names starting with {@code __} pass it, though Prometheus keeps them for itself). */
    public static boolean isLabelName(String name) {
        return LABEL_NAME.matcher(name).matches();
    }
}

package dev.coderd.metrics.sqlgauge;

import java.util.List;

/**
 * One gauge family whose data points are the rows of a read-only {@code SELECT}: the value from the column
 * {@code value} (the first column when null), read as {@code kind} says; one label per column of {@code labels}.
 * With no label columns only the first row counts; no row at all leaves the family absent.
 */
public record SqlGauge(String name, String help, String query, String value, ValueKind kind, List<String> labels) {
    public SqlGauge {
        labels = List.copyOf(labels);
    }
}

package dev.coderd.metrics.sqlgauge;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/** How a gauge reads its value column: as a number, or as a point in time told in Unix seconds or days from now. */
public enum ValueKind {
    /** A numeric column (or text that is a number). */
    NUMBER,
    /** A timestamp column, as seconds since the Unix epoch. */
    UNIX_SECONDS,
    /** A timestamp column, as (fractional) days from now: negative once it has passed. */
    DAYS_UNTIL;

    private static final double MILLIS_PER_DAY = 86_400_000d;

    /** The YAML spelling: {@code number}, {@code unix_seconds}, {@code days_until}. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ValueKind of(String spelling) {
        for (ValueKind k : values()) {
            if (k.spelling().equals(spelling)) {
                return k;
            }
        }
        return null;
    }

    /** The value of column {@code column} (1-based) of the current row; NaN when it is SQL NULL. */
    double read(ResultSet row, int column, long nowMillis) throws SQLException {
        Object v = row.getObject(column);
        if (v == null) {
            return Double.NaN;
        }
        if (this == NUMBER) {
            return v instanceof Number ? ((Number) v).doubleValue() : Double.parseDouble(v.toString().trim());
        }
        long millis = epochMillis(v);
        return this == UNIX_SECONDS ? millis / 1000d : (millis - nowMillis) / MILLIS_PER_DAY;
    }

    /** Drivers answer timestamps as {@code java.sql.Timestamp}, {@code java.time} types, or numbers of seconds. */
    static long epochMillis(Object v) {
        if (v instanceof java.util.Date) {
            return ((java.util.Date) v).getTime();
        }
        if (v instanceof Number) {
            return Math.round(((Number) v).doubleValue() * 1000);
        }
        if (v instanceof TemporalAccessor) {
            return fromTemporal((TemporalAccessor) v);
        }
        String text = v.toString().trim();
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (RuntimeException notOffset) {
            return Instant.parse(text).toEpochMilli(); // a text that is no timestamp fails the run, with its message
        }
    }

    private static long fromTemporal(TemporalAccessor t) {
        if (t instanceof Instant) {
            return ((Instant) t).toEpochMilli();
        }
        if (t instanceof OffsetDateTime) {
            return ((OffsetDateTime) t).toInstant().toEpochMilli();
        }
        if (t instanceof ZonedDateTime) {
            return ((ZonedDateTime) t).toInstant().toEpochMilli();
        }
        if (t instanceof LocalDateTime) { // a timestamp without zone means the JVM's zone, as java.sql.Timestamp does
            return ((LocalDateTime) t).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        }
        if (t instanceof LocalDate) {
            return ((LocalDate) t).atStartOfDay(ZoneId.systemDefault()).toInstant().toEpochMilli();
        }
        throw new IllegalArgumentException("a " + t.getClass().getSimpleName() + " is not a point in time");
    }
}

package dev.coderd.metrics.sqlgauge;

import dev.coderd.metrics.config.YamlTree;
import dev.coderd.metrics.db.ReadOnlyQuery;
import dev.coderd.metrics.metrics.MetricNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * SQL gauges as YAML declares them, checked whole: the first problem is an {@link IllegalArgumentException}
 * whose message names the entry and field.
 *
 * <pre>
 * gauges:
 *   - name: coderd_license_user_limit                    # a metric name, unique
 *     help: Number of users allowed by the license.
 *     query: SELECT user_limit FROM licenses LIMIT 1      # one SELECT (or WITH ... SELECT), nothing after it
 *     value: user_limit                                   # optional: the value column; the first column by default
 *     as: number                                          # optional: number | unix_seconds | days_until
 *     labels: [edition]                                   # optional: label columns, one series per row
 * </pre>
 */
public final class SqlGaugeDefinitions {
    /** The bundled rules for the {@code coderd_license_*} families. */
    static final String LICENSE_RESOURCE = "license-gauges.yaml";

    private static final Set<String> FIELDS = Set.of("name", "help", "query", "value", "as", "labels");

    private SqlGaugeDefinitions() {}

    /** The five {@code coderd_license_*} gauges over a coderd-like schema. */
    public static List<SqlGauge> license() {
        try (InputStream in = SqlGaugeDefinitions.class.getResourceAsStream(LICENSE_RESOURCE)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("the agent jar lacks " + LICENSE_RESOURCE, e);
        }
    }

    /** {@code base} with each gauge of {@code overrides} replacing the one of its name, or added after them. */
    public static List<SqlGauge> merge(List<SqlGauge> base, List<SqlGauge> overrides) {
        Map<String, SqlGauge> byName = new LinkedHashMap<>();
        base.forEach(g -> byName.put(g.name(), g));
        overrides.forEach(g -> byName.put(g.name(), g));
        return List.copyOf(byName.values());
    }

    public static List<SqlGauge> parse(String yaml) {
        Object root = YamlTree.parse(yaml);
        if (root == null) {
            return List.of();
        }
        if (!(root instanceof Map) || !((Map<?, ?>) root).keySet().equals(Set.of("gauges"))) {
            throw new IllegalArgumentException("expected one key, 'gauges', holding a list");
        }
        Object list = ((Map<?, ?>) root).get("gauges");
        if (list == null) {
            return List.of();
        }
        if (!(list instanceof List)) {
            throw new IllegalArgumentException("gauges: expected a list");
        }
        List<SqlGauge> gauges = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (Object item : (List<?>) list) {
            String at = "gauges[" + i++ + "]";
            SqlGauge gauge = gauge(item, at);
            if (!names.add(gauge.name())) {
                throw new IllegalArgumentException(at + ".name: '" + gauge.name() + "' is declared twice");
            }
            gauges.add(gauge);
        }
        return List.copyOf(gauges);
    }

    private static SqlGauge gauge(Object item, String at) {
        if (!(item instanceof Map)) {
            throw new IllegalArgumentException(at + ": expected a map of " + String.join(", ", new java.util.TreeSet<>(FIELDS)));
        }
        Map<?, ?> map = (Map<?, ?>) item;
        for (Object key : map.keySet()) {
            if (!FIELDS.contains(String.valueOf(key))) {
                throw new IllegalArgumentException(at + "." + key + ": unknown field");
            }
        }
        String name = text(map, "name", at, true);
        if (!MetricNames.isMetricName(name)) {
            throw new IllegalArgumentException(at + ".name: '" + name + "' is not a valid metric name");
        }
        String help = text(map, "help", at, true);
        String query = text(map, "query", at, true).trim();
        String problem = ReadOnlyQuery.check(query);
        if (problem != null) {
            throw new IllegalArgumentException(at + ".query: " + problem);
        }
        String value = text(map, "value", at, false);
        String as = text(map, "as", at, false);
        ValueKind kind = as == null ? ValueKind.NUMBER : ValueKind.of(as.toLowerCase(Locale.ROOT));
        if (kind == null) {
            throw new IllegalArgumentException(at + ".as: '" + as + "' is not number, unix_seconds or days_until");
        }
        List<String> labels = new ArrayList<>();
        Object labelList = map.get("labels");
        if (labelList != null && !(labelList instanceof List)) {
            throw new IllegalArgumentException(at + ".labels: expected a list of column names");
        }
        if (labelList != null) {
            for (Object label : (List<?>) labelList) {
                String l = String.valueOf(label);
                if (!MetricNames.isLabelName(l) || l.startsWith("__")) {
                    throw new IllegalArgumentException(at + ".labels: '" + l + "' is not a valid label name");
                }
                if (labels.contains(l)) {
                    throw new IllegalArgumentException(at + ".labels: '" + l + "' is listed twice");
                }
                labels.add(l);
            }
        }
        return new SqlGauge(name, help, query, value, kind, labels);
    }

    private static String text(Map<?, ?> map, String field, String at, boolean required) {
        Object v = map.get(field);
        if (v == null || v.toString().isBlank()) {
            if (required) {
                throw new IllegalArgumentException(at + "." + field + ": required");
            }
            return null;
        }
        if (v instanceof Map || v instanceof List) {
            throw new IllegalArgumentException(at + "." + field + ": expected text");
        }
        return v.toString();
    }
}

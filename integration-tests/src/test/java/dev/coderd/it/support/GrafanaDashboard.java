package dev.coderd.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grafana's side of a dashboard: its queries, its variables as Grafana substitutes them, and the metric names
 * an expression reads.
 *
 * <pre>
 * for (String[] q : GrafanaDashboard.expressions(json)) {
 *     String promql = GrafanaDashboard.substitute(q[1], Map.of("job", "coderd", "instance", ".+"));
 * }
 * </pre>
 */
public final class GrafanaDashboard {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");
    private static final Pattern METRIC = Pattern.compile("\\b((?:coderd|go_sql|jvm|process|promhttp|scrape)_[a-z0-9_]*|up)\\b");

    /** Every query of every panel (rows' nested panels included): {panel title, expression}. */
    public static List<String[]> expressions(JsonNode dashboard) {
        List<String[]> out = new ArrayList<>();
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panels::add);
        dashboard.path("panels").forEach(p -> p.path("panels").forEach(panels::add));
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                out.add(new String[] {panel.path("title").asText(), target.path("expr").asText()});
            }
        }
        return out;
    }

    /** Grafana's built-in intervals and the dashboard's variables, as Grafana would send them. */
    public static String substitute(String expr, Map<String, String> variables) {
        Map<String, String> all = new TreeMap<>(variables);
        all.put("__rate_interval", "1m");
        all.put("__interval", "10s");
        all.put("__range", "5m");
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = all.get(m.group(1));
            assertThat(value).as("variable $" + m.group(1) + " in " + expr + " is not one of the dashboard's").isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    /** The metric names {@code promql} reads; a name ending in {@code _} is a prefix (a regex on {@code __name__}). */
    public static List<String> metricNames(String promql) {
        String withoutStrings = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        List<String> names = new ArrayList<>();
        Matcher m = METRIC.matcher(withoutStrings);
        while (m.find()) {
            names.add(m.group(1));
        }
        // a regex on __name__, such as {__name__=~"coderd_workspace_.+"}: the prefix is the family
        Matcher regex = Pattern.compile("__name__=~\"([a-z0-9_]+)").matcher(promql);
        while (regex.find()) {
            names.add(regex.group(1));
        }
        return names.stream().distinct().toList();
    }

    /** {@code up} and {@code scrape_*}: series Prometheus adds to every target. */
    public static boolean isPrometheusOwn(String name) {
        return name.equals("up") || name.startsWith("scrape_");
    }

    private GrafanaDashboard() {}
}

package dev.coderd.it.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A parsed scrape in the Prometheus text format, for exact assertions.
 *
 * <pre>
 * Exposition m = Exposition.parse(body);
 * m.value("coderd_api_requests_processed_total", "code", "200", "method", "GET", "path", "/api/v2/users/{user}"); // 17.0
 * m.delta(before, "coderd_api_request_latencies_ms_bucket", "method", "GET", "path", "/x", "le", "50.0");       // 1.0
 * </pre>
 */
public final class Exposition {
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, Double> byKey = new HashMap<>();
    private final Map<String, String> help = new HashMap<>();
    private final Map<String, String> type = new HashMap<>();
    private final String text;

    private Exposition(String text) {
        this.text = text;
    }

    public static Exposition parse(String text) {
        Exposition e = new Exposition(text);
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                String rest = line.substring(7);
                int sp = rest.indexOf(' ');
                e.help.put(rest.substring(0, sp), rest.substring(sp + 1));
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                e.type.put(parts[0], parts[1]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                e.add(parseSample(line));
            }
        }
        return e;
    }

    private void add(Sample s) {
        samples.add(s);
        byKey.put(key(s.name(), s.labels()), s.value());
    }

    private static Sample parseSample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new TreeMap<>();
        String name;
        int pos;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            pos = brace + 1;
            while (line.charAt(pos) != '}') {
                int eq = line.indexOf('=', pos);
                String label = line.substring(pos, eq);
                StringBuilder value = new StringBuilder();
                int i = eq + 2; // past ="
                for (; line.charAt(i) != '"'; i++) {
                    char c = line.charAt(i);
                    if (c == '\\') {
                        char next = line.charAt(++i);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                pos = i + 1;
                if (line.charAt(pos) == ',') {
                    pos++;
                }
            }
            pos += 2; // past "} "
        } else {
            name = line.substring(0, space);
            pos = space + 1;
        }
        String[] rest = line.substring(pos).trim().split(" ");
        return new Sample(name, labels, parseValue(rest[0]));
    }

    private static double parseValue(String s) {
        switch (s) {
            case "+Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            case "NaN": return Double.NaN;
            default: return Double.parseDouble(s);
        }
    }

    private static String key(String name, Map<String, String> labels) {
        return name + new TreeMap<>(labels);
    }

    private static Map<String, String> labels(String... pairs) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            labels.put(pairs[i], pairs[i + 1]);
        }
        return labels;
    }

    /** The sample's value, or null when the series is absent. */
    public Double value(String name, String... labelPairs) {
        return byKey.get(key(name, labels(labelPairs)));
    }

    /** The growth of a series since {@code before}; an absent series counts as 0. */
    public double delta(Exposition before, String name, String... labelPairs) {
        Double now = value(name, labelPairs);
        Double then = before.value(name, labelPairs);
        return (now == null ? 0 : now) - (then == null ? 0 : then);
    }

    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    public String help(String family) {
        return help.get(family);
    }

    public String type(String family) {
        return type.get(family);
    }

    public String text() {
        return text;
    }
}

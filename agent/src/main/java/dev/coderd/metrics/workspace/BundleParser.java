package dev.coderd.metrics.workspace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.coderd.metrics.metrics.MetricNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the intake's JSON bundle with jackson-core's streaming parser (relocated into the agent), validating as
 * it goes; the first problem becomes a {@link BadBundle} whose message names the field.
 *
 * <pre>
 * Bundle b = BundleParser.parse(bytes); // {"workspace_id": "…", "user_id": "…", "agent_name": "main",
 *                                       //  "metrics": [{"name": "agent_sessions_total", "type": "counter", "value": 3,
 *                                       //               "labels": [{"name": "magic_type", "value": "ssh"}]}]}
 * </pre>
 *
 * Unknown fields are skipped (newer agents may send more); names follow Prometheus's classic rules
 * ({@code [a-zA-Z_:][a-zA-Z0-9_:]*} for metrics, {@code [a-zA-Z_][a-zA-Z0-9_]*} for labels, {@code __} reserved).
 */
public final class BundleParser {
    /** The labels the aggregator adds itself; an agent's own label may not use these names. */
    public static final Set<String> RESERVED = Set.of("user_id", "workspace_id", "agent_name");
    static final int MAX_NAME = 200;
    static final int MAX_VALUE = 1024;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(64 * 1024).build())
            .build();

    private BundleParser() {}

    public static Bundle parse(byte[] body) throws BadBundle {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadBundle("the body must be a JSON object");
            }
            String workspace = null;
            String user = null;
            String agent = null;
            List<Bundle.Sample> samples = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "workspace_id": workspace = string(p, field, false); break;
                    case "user_id": user = string(p, field, true); break;
                    case "agent_name": agent = string(p, field, true); break;
                    case "metrics": samples = metrics(p); break;
                    default: p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new BadBundle("malformed JSON: content after the bundle's object");
            }
            if (workspace == null) {
                throw new BadBundle("workspace_id: required");
            }
            if (user == null) {
                throw new BadBundle("user_id: required");
            }
            if (agent == null) {
                throw new BadBundle("agent_name: required");
            }
            if (samples == null) {
                throw new BadBundle("metrics: required");
            }
            return new Bundle(workspace, user, agent, samples);
        } catch (JsonProcessingException e) {
            String what = e.getOriginalMessage();
            int noise = what.indexOf(" (start marker");
            throw new BadBundle("malformed JSON: " + (noise < 0 ? what : what.substring(0, noise)) + " (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new BadBundle("malformed JSON: " + e.getMessage());
        }
    }

    private static List<Bundle.Sample> metrics(JsonParser p) throws IOException, BadBundle {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new BadBundle("metrics: must be an array");
        }
        List<Bundle.Sample> samples = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<String, Boolean> types = new HashMap<>();
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            String at = "metrics[" + i + "]";
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new BadBundle(at + ": must be an object");
            }
            Bundle.Sample s = metric(p, at);
            Boolean counter = types.putIfAbsent(s.name(), s.counter());
            if (counter != null && counter != s.counter()) {
                throw new BadBundle(at + ".type: " + s.name() + " is both a counter and a gauge in this bundle");
            }
            String key = s.name() + Arrays.toString(s.labelNames()) + Arrays.toString(s.labelValues());
            if (!seen.add(key)) {
                throw new BadBundle(at + ": duplicate series " + s.name() + " with the same labels in one bundle");
            }
            samples.add(s);
        }
        return samples;
    }

    private static Bundle.Sample metric(JsonParser p, String at) throws IOException, BadBundle {
        String name = null;
        String type = null;
        Double value = null;
        List<String[]> labels = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "name": name = string(p, at + ".name", false); break;
                case "type": type = string(p, at + ".type", false); break;
                case "value":
                    if (!p.currentToken().isNumeric()) {
                        throw new BadBundle(at + ".value: must be a number");
                    }
                    value = p.getDoubleValue();
                    break;
                case "labels": labels = labels(p, at + ".labels"); break;
                default: p.skipChildren();
            }
        }
        if (name == null) {
            throw new BadBundle(at + ".name: required");
        }
        if (name.length() > MAX_NAME || !MetricNames.isMetricName(name)) {
            throw new BadBundle(at + ".name: '" + cut(name) + "' is not a valid metric name");
        }
        if (type == null) {
            throw new BadBundle(at + ".type: required");
        }
        if (!type.equals("counter") && !type.equals("gauge")) {
            throw new BadBundle(at + ".type: '" + cut(type) + "' is not counter or gauge");
        }
        if (value == null) {
            throw new BadBundle(at + ".value: required");
        }
        if (!Double.isFinite(value)) {
            throw new BadBundle(at + ".value: not a finite number");
        }
        String[][] sorted = labels.toArray(new String[0][]);
        Arrays.sort(sorted, (a, b) -> a[0].compareTo(b[0]));
        String[] names = new String[sorted.length];
        String[] values = new String[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            names[i] = sorted[i][0];
            values[i] = sorted[i][1];
            if (i > 0 && names[i].equals(names[i - 1])) {
                throw new BadBundle(at + ".labels: '" + names[i] + "' appears twice");
            }
        }
        return new Bundle.Sample(name, type.equals("counter"), value, names, values);
    }

    private static List<String[]> labels(JsonParser p, String at) throws IOException, BadBundle {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new BadBundle(at + ": must be an array");
        }
        List<String[]> labels = new ArrayList<>();
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            String here = at + "[" + i + "]";
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new BadBundle(here + ": must be an object");
            }
            String name = null;
            String value = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "name": name = string(p, here + ".name", false); break;
                    case "value": value = string(p, here + ".value", true); break;
                    default: p.skipChildren();
                }
            }
            if (name == null) {
                throw new BadBundle(here + ".name: required");
            }
            if (name.length() > MAX_NAME || !MetricNames.isLabelName(name)) {
                throw new BadBundle(here + ".name: '" + cut(name) + "' is not a valid label name");
            }
            if (RESERVED.contains(name) || name.startsWith("__")) {
                throw new BadBundle(here + ".name: '" + name + "' is reserved");
            }
            if (value == null) {
                throw new BadBundle(here + ".value: required");
            }
            labels.add(new String[] {name, value});
        }
        return labels;
    }

    private static String string(JsonParser p, String at, boolean emptyAllowed) throws IOException, BadBundle {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new BadBundle(at + ": must be a string");
        }
        String s = p.getText();
        if (!emptyAllowed && s.isEmpty()) {
            throw new BadBundle(at + ": must not be empty");
        }
        if (s.length() > MAX_VALUE) {
            throw new BadBundle(at + ": longer than " + MAX_VALUE + " characters");
        }
        return s;
    }

    private static String cut(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}

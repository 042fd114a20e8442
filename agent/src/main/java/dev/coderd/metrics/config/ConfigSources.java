package dev.coderd.metrics.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Collects the raw text of each key from the four sources, highest precedence first: agent arguments,
 * system properties, environment variables, the YAML file named by any of them.
 */
final class ConfigSources {
    /** A raw value and where it came from, for error messages that let an operator find it. */
    record Raw(String value, String source) {}

    private final Map<String, Raw> values = new LinkedHashMap<>();
    private final Map<String, ConfigKey<?>> known = new LinkedHashMap<>();
    private final List<String> problems;

    private ConfigSources(List<ConfigKey<?>> keys, List<String> problems) {
        for (ConfigKey<?> key : keys) {
            known.put(key.shortName(), key);
        }
        this.problems = problems;
    }

    static ConfigSources read(String agentArgs, Properties properties, Map<String, String> env, List<ConfigKey<?>> keys,
                              List<String> problems) {
        ConfigSources sources = new ConfigSources(keys, problems);
        Map<String, String> args = sources.parseAgentArgs(agentArgs);
        for (ConfigKey<?> key : keys) {
            String arg = args.get(key.shortName());
            if (arg != null) {
                sources.values.put(key.shortName(), new Raw(arg, "agent argument"));
            } else if (properties.getProperty(key.propertyName()) != null) {
                sources.values.put(key.shortName(), new Raw(properties.getProperty(key.propertyName()), "system property"));
            } else if (env.get(key.envName()) != null) {
                sources.values.put(key.shortName(), new Raw(env.get(key.envName()), "environment variable " + key.envName()));
            }
        }
        Raw file = sources.values.get(CoreKeys.CONFIG_FILE.shortName());
        if (file != null && !file.value().isBlank()) {
            sources.readYaml(Path.of(file.value().trim()));
        }
        return sources;
    }

    Raw get(ConfigKey<?> key) {
        return values.get(key.shortName());
    }

    /**
     * {@code k=v,k2=v2}, each key by its short or full name. After a list key, a piece continues that list
     * unless it starts with a known key and {@code =}, so lists and rule lists need no escaping:
     * {@code http.routes=/api/v2/users/{user},/api/v2/files/*,jobs.types=*Build*=build,*Reap*=reaper,port=9100}.
     * A literal comma inside an item is {@code \,}.
     */
    Map<String, String> parseAgentArgs(String agentArgs) {
        Map<String, String> args = new LinkedHashMap<>();
        if (agentArgs == null || agentArgs.isBlank()) {
            return args;
        }
        ConfigKey<?> listKey = null;
        for (String piece : ListSyntax.splitRaw(agentArgs)) {
            int eq = piece.indexOf('=');
            String name = eq > 0 ? shortName(piece.substring(0, eq).trim()) : null;
            if (listKey != null && (name == null || !known.containsKey(name))) {
                args.merge(listKey.shortName(), piece, (a, b) -> a + "," + b); // escapes kept for the list parser
            } else if (name != null) {
                ConfigKey<?> key = known.get(name);
                String value = piece.substring(eq + 1).trim();
                if (key == null) {
                    problems.add("config: unknown agent argument '" + name + "' ignored");
                    listKey = null;
                } else {
                    args.put(name, key.isList() ? value : ListSyntax.unescape(value));
                    listKey = key.isList() ? key : null;
                }
            } else if (!piece.isBlank()) {
                problems.add("config: agent argument '" + piece.trim() + "' is not of the form key=value; ignored");
            }
        }
        return args;
    }

    private static String shortName(String name) {
        return name.startsWith(ConfigKey.PREFIX) ? name.substring(ConfigKey.PREFIX.length()) : name;
    }

    private void readYaml(Path path) {
        String source = "YAML file " + path;
        Object root;
        try {
            root = YamlTree.parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            problems.add("config: cannot read " + source + ": " + e.getMessage() + "; using the other sources");
            return;
        } catch (RuntimeException e) {
            problems.add("config: " + source + " is not valid YAML (" + firstLine(e.getMessage()) + "); using the other sources");
            return;
        }
        if (root == null) {
            return;
        }
        if (!(root instanceof Map)) {
            problems.add("config: " + source + " must hold a mapping of keys to values; ignored");
            return;
        }
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", (Map<?, ?>) root, flat);
        for (Map.Entry<String, String> entry : flat.entrySet()) {
            String name = shortName(entry.getKey());
            if (!known.containsKey(name)) {
                problems.add("config: unknown key '" + entry.getKey() + "' in " + source + " ignored");
            } else if (!name.equals(CoreKeys.CONFIG_FILE.shortName())) {
                values.putIfAbsent(name, new Raw(entry.getValue(), source));
            }
        }
    }

    /**
     * Nested mappings join their keys with dots; lists join their items with commas (escaped); a mapping under
     * a rules key is its rules, {@code pattern: value}.
     */
    private void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = prefix + entry.getKey();
            Object value = entry.getValue();
            ConfigKey<?> declared = known.get(shortName(key));
            if (value instanceof Map && declared != null && declared.isList()) {
                List<String> items = new ArrayList<>();
                for (Map.Entry<?, ?> rule : ((Map<?, ?>) value).entrySet()) {
                    items.add(ListSyntax.escape(rule.getKey() + "=" + rule.getValue()));
                }
                out.put(key, String.join(",", items));
            } else if (value instanceof Map) {
                flatten(key + ".", (Map<?, ?>) value, out);
            } else if (value instanceof Collection) {
                List<String> items = new ArrayList<>();
                for (Object item : (Collection<?>) value) {
                    items.add(ListSyntax.escape(String.valueOf(item)));
                }
                out.put(key, String.join(",", items));
            } else {
                out.put(key, value == null ? "" : String.valueOf(value));
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "parse error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}

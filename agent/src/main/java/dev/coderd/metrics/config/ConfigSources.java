package dev.coderd.metrics.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Collects the raw text of each key from the four sources, highest precedence first: agent arguments,
 * system properties, environment variables, the YAML file named by any of them.
 */
final class ConfigSources {
    /** A raw value and where it came from, for error messages that let an operator find it. */
    record Raw(String value, String source) {}

    private final Map<ConfigKey, Raw> values = new EnumMap<>(ConfigKey.class);
    private final List<String> problems;

    private ConfigSources(List<String> problems) {
        this.problems = problems;
    }

    static ConfigSources read(String agentArgs, Properties properties, Map<String, String> env, List<String> problems) {
        ConfigSources sources = new ConfigSources(problems);
        Map<String, String> args = parseAgentArgs(agentArgs, problems);
        for (ConfigKey key : ConfigKey.values()) {
            String arg = args.containsKey(key.shortName()) ? args.get(key.shortName()) : args.get(key.propertyName());
            if (arg != null) {
                sources.values.put(key, new Raw(arg, "agent argument"));
            } else if (properties.getProperty(key.propertyName()) != null) {
                sources.values.put(key, new Raw(properties.getProperty(key.propertyName()), "system property"));
            } else if (env.get(key.envName()) != null) {
                sources.values.put(key, new Raw(env.get(key.envName()), "environment variable " + key.envName()));
            }
        }
        for (String name : args.keySet()) {
            if (ConfigKey.byName(name) == null) {
                problems.add("config: unknown agent argument '" + name + "' ignored");
            }
        }
        Raw file = sources.values.get(ConfigKey.CONFIG_FILE);
        if (file != null && !file.value().isBlank()) {
            sources.readYaml(Path.of(file.value().trim()));
        }
        return sources;
    }

    Raw get(ConfigKey key) {
        return values.get(key);
    }

    /**
     * {@code k=v,k2=v2}. A piece without {@code =} continues the value before it, so lists need no escaping:
     * {@code http.routes=/api/v2/users/{user},/api/v2/files/*,port=9100}.
     */
    static Map<String, String> parseAgentArgs(String agentArgs, List<String> problems) {
        Map<String, String> args = new LinkedHashMap<>();
        if (agentArgs == null || agentArgs.isBlank()) {
            return args;
        }
        String last = null;
        for (String piece : agentArgs.split(",")) {
            int eq = piece.indexOf('=');
            if (eq > 0) {
                last = piece.substring(0, eq).trim();
                args.put(last, piece.substring(eq + 1).trim());
            } else if (last != null) {
                args.put(last, args.get(last) + "," + piece.trim());
            } else if (!piece.isBlank()) {
                problems.add("config: agent argument '" + piece.trim() + "' is not of the form key=value; ignored");
            }
        }
        return args;
    }

    private void readYaml(Path path) {
        String source = "YAML file " + path;
        Object root;
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
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
            ConfigKey key = ConfigKey.byName(entry.getKey());
            if (key == null) {
                problems.add("config: unknown key '" + entry.getKey() + "' in " + source + " ignored");
            } else if (key != ConfigKey.CONFIG_FILE) {
                values.putIfAbsent(key, new Raw(entry.getValue(), source));
            }
        }
    }

    /** Nested mappings join their keys with dots; lists join their items with commas. */
    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = prefix + entry.getKey();
            Object value = entry.getValue();
            if (value instanceof Map) {
                flatten(key + ".", (Map<?, ?>) value, out);
            } else if (value instanceof Collection) {
                List<String> items = new ArrayList<>();
                for (Object item : (Collection<?>) value) {
                    items.add(String.valueOf(item));
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

package dev.coderd.metrics.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One configuration key, declared once by the concern that reads it: its name, its type (how its text is
 * parsed and what a bad value is told it should be), its default and its meaning. The declarations feed the
 * parser, the unknown-key check and the README's table ({@code ConfigTableTest} keeps the two equal).
 *
 * <pre>
 * public static final ConfigKey&lt;List&lt;Rule&gt;&gt; TYPES = ConfigKey.rules("jobs.types", "",
 *         "Job types by task class: `pattern=type` rules, `*` matching any text.");
 * List&lt;Rule&gt; rules = config.get(TYPES);
 * </pre>
 *
 * <p>One name scheme across sources: the agent argument {@code port=9100} (or {@code coderd.metrics.port}),
 * the system property {@code coderd.metrics.port}, the environment variable {@code CODERD_METRICS_PORT},
 * the YAML key {@code port}.
 */
public final class ConfigKey<T> {
    static final String PREFIX = "coderd.metrics.";

    private final String shortName;
    private final Type<T> type;
    private final String defaultText;
    private final String description;

    private ConfigKey(String shortName, Type<T> type, String defaultText, String description) {
        this.shortName = shortName;
        this.type = type;
        this.defaultText = defaultText;
        this.description = description;
    }

    public static ConfigKey<Boolean> bool(String name, boolean defaultValue, String description) {
        return new ConfigKey<>(name, Type.BOOLEAN, Boolean.toString(defaultValue), description);
    }

    public static ConfigKey<String> string(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, Type.STRING, defaultValue, description);
    }

    public static ConfigKey<Integer> port(String name, int defaultValue, String description) {
        return new ConfigKey<>(name, Type.PORT, Integer.toString(defaultValue), description);
    }

    public static ConfigKey<Integer> positiveInt(String name, int defaultValue, String description) {
        return new ConfigKey<>(name, Type.POSITIVE_INT, Integer.toString(defaultValue), description);
    }

    public static ConfigKey<Duration> duration(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, Type.DURATION, defaultValue, description);
    }

    public static ConfigKey<List<String>> list(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, Type.LIST, defaultValue, description);
    }

    public static ConfigKey<List<String>> routes(String name, String description) {
        return new ConfigKey<>(name, Type.ROUTES, "", description);
    }

    /** A list of {@code pattern=value} rules, such as {@code *Build*=build,*Reap*=reaper}. */
    public static ConfigKey<List<Rule>> rules(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, Type.RULES, defaultValue, description);
    }

    /**
     * {@code route=value} rules, such as {@code /api/private/turn=turn}: each route a template checked as
     * {@link #routes} are, each value one of {@code values}.
     */
    public static ConfigKey<List<Rule>> routeRules(String name, String defaultValue, List<String> values, String description) {
        return new ConfigKey<>(name, Type.routeRules(values), defaultValue, description);
    }

    /** The switch of one instrumentation: {@code instrumentation.<name>.enabled}. */
    public static ConfigKey<Boolean> instrumentationSwitch(String instrumentation, String description) {
        return bool("instrumentation." + instrumentation + ".enabled", true, description);
    }

    /** The name in agent arguments and YAML: {@code port}. */
    public String shortName() {
        return shortName;
    }

    /** The system property: {@code coderd.metrics.port}. */
    public String propertyName() {
        return PREFIX + shortName;
    }

    /** The environment variable: {@code CODERD_METRICS_PORT}. */
    public String envName() {
        return propertyName().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String defaultText() {
        return defaultText;
    }

    public String description() {
        return description;
    }

    /** What a valid value looks like, as the README and error lines say it. */
    public String expected() {
        return type.expected;
    }

    /** True for keys whose value is a comma-separated list (agent arguments may continue them after a comma). */
    boolean isList() {
        return type.list;
    }

    Type<T> type() {
        return type;
    }

    @Override
    public String toString() {
        return propertyName();
    }

    /** How the text of a value becomes a typed value; {@link IllegalArgumentException} says what is wrong. */
    interface Parser<T> {
        T parse(String text);
    }

    static final class Type<T> {
        static final Type<Boolean> BOOLEAN = new Type<>("true or false", false, text -> {
            String s = text.toLowerCase(Locale.ROOT);
            if (!s.equals("true") && !s.equals("false")) {
                throw new IllegalArgumentException();
            }
            return s.equals("true");
        });
        static final Type<String> STRING = new Type<>("text", false, text -> text);
        static final Type<Integer> PORT = new Type<>("a port number from 1 to 65535", false,
                text -> checked(Integer.parseInt(text), p -> p >= 1 && p <= 65535));
        static final Type<Integer> POSITIVE_INT = new Type<>("a whole number of at least 1", false,
                text -> checked(Integer.parseInt(text), n -> n >= 1));
        static final Type<Duration> DURATION = new Type<>("a duration such as 500ms, 5s, 2m or 1h", false,
                text -> checked(Durations.parse(text), d -> !d.isZero()));
        static final Type<List<String>> LIST = new Type<>("a comma-separated list", true, ListSyntax::split);
        static final Type<List<String>> ROUTES = new Type<>(
                "comma-separated route templates starting with '/', '{name}' for one segment, a trailing '*' for the rest",
                true, text -> {
                    List<String> routes = ListSyntax.split(text);
                    for (String route : routes) {
                        String problem = RouteSyntax.check(route);
                        if (problem != null) {
                            throw new IllegalArgumentException("'" + route + "' " + problem);
                        }
                    }
                    return routes;
                });
        static final Type<List<Rule>> RULES = new Type<>(
                "comma-separated pattern=value rules ('*' in a pattern matches any text)", true, text -> {
                    List<Rule> rules = new ArrayList<>();
                    for (String item : ListSyntax.split(text)) {
                        rules.add(Rule.parse(item));
                    }
                    return Collections.unmodifiableList(rules);
                });

        static Type<List<Rule>> routeRules(List<String> values) {
            String oneOf = String.join(", ", values);
            return new Type<>("comma-separated route=value rules, each route a template as in http.routes and each value one of "
                    + oneOf, true, text -> {
                        List<Rule> rules = RULES.parser.parse(text);
                        for (Rule rule : rules) {
                            String problem = RouteSyntax.check(rule.pattern());
                            if (problem != null) {
                                throw new IllegalArgumentException("'" + rule.pattern() + "' " + problem);
                            }
                            if (!values.contains(rule.value())) {
                                throw new IllegalArgumentException("'" + rule.value() + "' is not one of " + oneOf);
                            }
                        }
                        return rules;
                    });
        }

        final String expected;
        final boolean list;
        final Parser<T> parser;

        private Type(String expected, boolean list, Parser<T> parser) {
            this.expected = expected;
            this.list = list;
            this.parser = parser;
        }

        private static <V> V checked(V value, java.util.function.Predicate<V> valid) {
            if (!valid.test(value)) {
                throw new IllegalArgumentException();
            }
            return value;
        }
    }
}

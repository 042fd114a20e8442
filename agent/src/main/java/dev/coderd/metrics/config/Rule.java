package dev.coderd.metrics.config;

import java.util.regex.Pattern;

/**
 * One {@code pattern=value} rule of a rules key: {@code *WorkspaceBuild*=workspace_build}. {@code *} in the
 * pattern matches any text (including none); everything else matches itself. In a value list, a comma inside
 * a pattern is written {@code \,}.
 */
public record Rule(String pattern, String value) {
    public Rule {
        if (pattern.isEmpty() || value.isEmpty()) {
            throw new IllegalArgumentException("'" + pattern + "=" + value + "' needs a pattern and a value");
        }
    }

    static Rule parse(String item) {
        int eq = item.lastIndexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("'" + item + "' is not of the form pattern=value");
        }
        return new Rule(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
    }

    /** The pattern as a compiled glob, for whoever evaluates the rule. */
    public Pattern glob() {
        return Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q"));
    }
}

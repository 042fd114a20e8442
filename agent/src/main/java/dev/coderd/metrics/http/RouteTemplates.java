package dev.coderd.metrics.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Route templates from the configuration, matched against raw request paths without allocating.
 *
 * <pre>
 * RouteTemplates t = RouteTemplates.of(List.of("/api/v2/users/{user}", "/api/v2/files/*"));
 * t.match("/api/v2/users/alice");   // "/api/v2/users/{user}"
 * t.match("/api/v2/files/a/b.txt"); // "/api/v2/files/*"
 * t.match("/healthz");              // null
 * </pre>
 *
 * {@code {name}} matches one non-empty segment; a trailing {@code *} matches the rest (also nothing). When
 * several templates match, the one with the longest literal prefix (the text before its first
 * {@code {} or {@code *}) wins.
 */
final class RouteTemplates {
    private final Template[] templates;

    private RouteTemplates(Template[] templates) {
        this.templates = templates;
    }

    static RouteTemplates of(List<String> routes) {
        List<Template> list = new ArrayList<>();
        for (String route : routes) {
            list.add(new Template(route));
        }
        list.sort(Comparator.comparingInt((Template t) -> t.literalPrefix).reversed());
        return new RouteTemplates(list.toArray(new Template[0]));
    }

    String match(String path) {
        if (path == null) {
            return null;
        }
        for (Template template : templates) {
            if (template.matches(path)) {
                return template.route;
            }
        }
        return null;
    }

    private static final class Template {
        final String route;
        final String[] segments; // after the leading '/': literals, "{}" for a parameter, "*" for the rest
        final int literalPrefix;

        Template(String route) {
            this.route = route;
            this.segments = route.substring(1).split("/", -1);
            int firstVariable = route.length();
            for (int i = 0; i < route.length(); i++) {
                if (route.charAt(i) == '{' || route.charAt(i) == '*') {
                    firstVariable = i;
                    break;
                }
            }
            this.literalPrefix = firstVariable;
        }

        boolean matches(String path) {
            if (path.isEmpty() || path.charAt(0) != '/') {
                return false;
            }
            int pos = 1; // start of the current path segment
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                if (segment.equals("*") && i == segments.length - 1) {
                    return true;
                }
                if (pos > path.length()) {
                    return false;
                }
                int end = path.indexOf('/', pos);
                if (end < 0) {
                    end = path.length();
                }
                if (segment.startsWith("{")) {
                    if (end == pos) {
                        return false;
                    }
                } else if (end - pos != segment.length() || !path.startsWith(segment, pos)) {
                    return false;
                }
                pos = end + 1;
            }
            return pos == path.length() + 1;
        }
    }
}

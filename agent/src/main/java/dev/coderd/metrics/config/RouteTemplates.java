package dev.coderd.metrics.config;

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
 * RouteTemplates.variable("/api/v2/users/{user}", "user", "/api/v2/users/alice"); // "alice"
 * </pre>
 *
 * {@code {name}} matches one non-empty segment; a trailing {@code *} matches the rest (also nothing). When
 * several templates match, the one with the longest literal prefix (the text before its first
 * {@code {} or {@code *}) wins. A template also matches another template's text segment for segment
 * ({@code /a/{id}/b} is a path whose second segment is {@code {id}}), which is how a route that a framework
 * already named is compared with configured ones. Used by the HTTP recorder ({@code http.routes}) and the
 * websocket recorder ({@code websocket.rtc-roles}).
 */
public final class RouteTemplates {
    private final Template[] templates;

    private RouteTemplates(Template[] templates) {
        this.templates = templates;
    }

    public static RouteTemplates of(List<String> routes) {
        List<Template> list = new ArrayList<>();
        for (String route : routes) {
            list.add(new Template(route));
        }
        list.sort(Comparator.comparingInt((Template t) -> t.literalPrefix).reversed());
        return new RouteTemplates(list.toArray(new Template[0]));
    }

    /** The winning template for {@code path}, or null when none matches. */
    public String match(String path) {
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

    /**
     * The segment of {@code path} that {@code {name}} of {@code template} stands for, or null when the template
     * has no such variable or does not match the path.
     */
    public static String variable(String template, String name, String path) {
        PathVariable variable = PathVariable.of(template, name);
        return variable == null ? null : variable.in(path);
    }

    /**
     * One variable of one template, compiled once: {@link #in} then reads it from a path, allocating only the
     * returned segment.
     *
     * <pre>
     * PathVariable workspace = PathVariable.of("/api/private/envagent/{workspace}/listen", "workspace");
     * workspace.in("/api/private/envagent/dev/listen"); // "dev"
     * </pre>
     */
    public static final class PathVariable {
        private final Template template;
        private final int index;

        private PathVariable(Template template, int index) {
            this.template = template;
            this.index = index;
        }

        /** The variable {@code {name}} of {@code template}, or null when the template has none. */
        public static PathVariable of(String template, String name) {
            Template t = new Template(template);
            String wanted = "{" + name + "}";
            for (int i = 0; i < t.segments.length; i++) {
                if (t.segments[i].equals(wanted)) {
                    return new PathVariable(t, i);
                }
            }
            return null;
        }

        /** The segment of {@code path} the variable stands for, or null when the template does not match it. */
        public String in(String path) {
            if (path == null || !template.matches(path)) {
                return null;
            }
            int pos = 1;
            for (int i = 0; i < index; i++) {
                pos = path.indexOf('/', pos) + 1;
            }
            int end = path.indexOf('/', pos);
            return path.substring(pos, end < 0 ? path.length() : end);
        }
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

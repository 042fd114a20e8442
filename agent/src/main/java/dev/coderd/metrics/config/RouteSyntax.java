package dev.coderd.metrics.config;

/** Validates a configured route template: {@code /api/v2/users/{user}}, {@code /api/v2/files/*}. */
public final class RouteSyntax {
    private RouteSyntax() {}

    /** Null when valid, else what is wrong, to finish the sentence "'route' ...". */
    public static String check(String route) {
        if (!route.startsWith("/")) {
            return "does not start with '/'";
        }
        int star = route.indexOf('*');
        if (star >= 0 && (star != route.length() - 1 || route.charAt(star - 1) != '/')) {
            return "has a '*' that is not a whole last segment";
        }
        for (String segment : route.split("/", -1)) {
            boolean open = segment.startsWith("{");
            boolean close = segment.endsWith("}");
            if (open != close || (open && segment.length() < 3)
                    || segment.indexOf('{', 1) >= 0 || (segment.indexOf('}') >= 0 && !close)) {
                return "has a '{name}' that is not a whole segment";
            }
        }
        return null;
    }
}

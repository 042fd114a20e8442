package dev.coderd.metrics.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The allow and deny lists: globs ({@code *} matches anything) over the JVM's main class or jar, as
 * {@code sun.java.command} names it. A jar matches by its path or its file name alone.
 *
 * <pre>
 * include=*coderd*.jar,com.example.Server   exclude=*Migrations
 * </pre>
 */
public final class MainFilter {
    private MainFilter() {}

    public static boolean allows(List<String> include, List<String> exclude, String javaCommand) {
        String main = mainOf(javaCommand);
        if (matchesAny(exclude, main)) {
            return false;
        }
        return include.isEmpty() || matchesAny(include, main);
    }

    static String mainOf(String javaCommand) {
        if (javaCommand == null) {
            return "";
        }
        String trimmed = javaCommand.trim();
        int space = trimmed.indexOf(' ');
        return space < 0 ? trimmed : trimmed.substring(0, space);
    }

    private static boolean matchesAny(List<String> globs, String main) {
        String fileName = main.substring(Math.max(main.lastIndexOf('/'), main.lastIndexOf('\\')) + 1);
        for (String glob : globs) {
            Pattern p = Pattern.compile(Pattern.quote(glob).replace("*", "\\E.*\\Q"));
            if (p.matcher(main).matches() || p.matcher(fileName).matches()) {
                return true;
            }
        }
        return false;
    }
}

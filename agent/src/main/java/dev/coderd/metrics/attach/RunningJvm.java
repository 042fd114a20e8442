package dev.coderd.metrics.attach;

import dev.coderd.metrics.config.MainFilter;
import java.util.List;
import java.util.Set;

/**
 * A JVM this user can see: its pid and its command as {@code jps -l} shows it (the main class or jar, then the
 * application's arguments).
 *
 * <pre>
 * new RunningJvm(12345, "dev.coderd.testapp.TestApp --demo").matches("*TestApp") // true
 * new RunningJvm(12346, "/opt/test-app.jar --demo").matches("test-app.jar")       // true: a jar by its file name
 * </pre>
 */
record RunningJvm(long pid, String command) {
    /** The main class or jar alone. */
    String main() {
        int space = command.indexOf(' ');
        return space < 0 ? command : command.substring(0, space);
    }

    /** The glob ({@code *} is any text) matches the main class or the jar, by its path or its file name. */
    boolean matches(String glob) {
        return MainFilter.allows(List.of(glob), List.of(), command);
    }

    /** Options of {@code java} that take the next argument as their value. */
    private static final Set<String> WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
            "--upgrade-module-path", "--add-modules", "--add-exports", "--add-opens", "--add-reads", "--limit-modules",
            "--patch-module", "--enable-native-access", "--source");

    /**
     * The command as {@code jps -l} would show it, from a {@code java} command line: the main class, the jar
     * after {@code -jar}, or {@code module/class} after {@code -m}, then the rest. Null when the line is not one.
     */
    static String commandOf(List<String> commandLine) {
        if (commandLine.isEmpty() || !commandLine.get(0).replaceAll(".*/", "").startsWith("java")) {
            return null;
        }
        for (int i = 1; i < commandLine.size(); i++) {
            String arg = commandLine.get(i);
            if (arg.equals("-jar") || arg.equals("-m") || arg.equals("--module")) {
                return i + 1 < commandLine.size() ? String.join(" ", commandLine.subList(i + 1, commandLine.size())) : null;
            }
            if (WITH_VALUE.contains(arg)) {
                i++;
            } else if (!arg.startsWith("-")) {
                return String.join(" ", commandLine.subList(i, commandLine.size()));
            }
        }
        return null;
    }
}

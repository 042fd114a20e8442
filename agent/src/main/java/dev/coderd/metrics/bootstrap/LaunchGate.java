package dev.coderd.metrics.bootstrap;

import java.util.Locale;

/**
 * Whether the agent should run in this JVM at all, decided before anything is loaded.
 *
 * <p>With the agent in {@code JAVA_TOOL_OPTIONS}, every JVM of a container starts it: {@code jcmd},
 * {@code keytool}, {@code jar}, {@code javac}. Those are skipped silently (their main class lives in a JDK
 * package) unless {@code coderd.metrics.force=true}. The kill switch, allow and deny lists are applied later,
 * by the core, once the whole configuration is read.
 */
final class LaunchGate {
    private static final String[] JDK_MAIN_PREFIXES = {"jdk.", "sun.", "com.sun.tools.", "com.sun.jdi.", "java."};

    private LaunchGate() {}

    static boolean shouldRun(String agentArgs, String javaCommand) {
        if (isTrue(force(agentArgs))) {
            return true;
        }
        return !isJdkTool(javaCommand);
    }

    static boolean isJdkTool(String javaCommand) {
        if (javaCommand == null) {
            return false;
        }
        String main = javaCommand.trim();
        int space = main.indexOf(' ');
        if (space >= 0) {
            main = main.substring(0, space);
        }
        if (!main.endsWith(".jar") && main.indexOf('/') >= 0) {
            main = main.substring(main.lastIndexOf('/') + 1); // module/class, as jcmd's "jdk.jcmd/sun.tools.jcmd.JCmd"
        }
        for (String prefix : JDK_MAIN_PREFIXES) {
            if (main.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The force flag from the agent arguments, a system property or the environment, in that order. */
    private static String force(String agentArgs) {
        if (agentArgs != null) {
            for (String pair : agentArgs.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    String key = pair.substring(0, eq).trim();
                    if (key.equals("force") || key.equals("coderd.metrics.force")) {
                        return pair.substring(eq + 1);
                    }
                }
            }
        }
        String property = System.getProperty("coderd.metrics.force");
        return property != null ? property : System.getenv("CODERD_METRICS_FORCE");
    }

    private static boolean isTrue(String value) {
        return value != null && value.trim().toLowerCase(Locale.ROOT).equals("true");
    }
}

package dev.coderd.metrics.bootstrap;

import java.util.Locale;

/**
 * Whether this JVM is an application at all, decided from {@code sun.java.command} before anything is loaded.
 *
 * <p>With the agent in {@code JAVA_TOOL_OPTIONS}, every JVM of a container starts it: {@code jcmd},
 * {@code keytool}, {@code jar}, {@code javac}, and {@code java -version}, which has no main class at all.
 * Those are skipped silently unless {@code coderd.metrics.force=true}. Force may also sit in the YAML file,
 * which only the core can read: when a configuration file is named, premain leaves the decision to the core
 * (which then applies the kill switch, the allow and deny lists and force, still before touching the JVM).
 */
final class LaunchGate {
    private static final String[] JDK_MAIN_PREFIXES = {"jdk.", "sun.", "com.sun.tools.", "com.sun.jdi.", "java."};

    private LaunchGate() {}

    /** A JDK tool, or a JVM that runs no main class ({@code java -version}, an embedded JVM without one). */
    static boolean isJdkToolOrNoMain(String javaCommand) {
        if (javaCommand == null || javaCommand.isBlank()) {
            return true;
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

    /**
     * Whether force may be set: {@code force=true} in the agent arguments, a system property or the
     * environment, or a configuration file named in any of them (the core reads it and decides).
     */
    static boolean mayBeForced(String agentArgs) {
        return isTrue(setting(agentArgs, "force")) || setting(agentArgs, "config") != null;
    }

    /** A key from the agent arguments, a system property or the environment, in that order. */
    private static String setting(String agentArgs, String key) {
        if (agentArgs != null) {
            for (String pair : agentArgs.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    String name = pair.substring(0, eq).trim();
                    if (name.equals(key) || name.equals("coderd.metrics." + key)) {
                        return pair.substring(eq + 1);
                    }
                }
            }
        }
        String property = System.getProperty("coderd.metrics." + key);
        return property != null ? property : System.getenv("CODERD_METRICS_" + key.toUpperCase(Locale.ROOT));
    }

    private static boolean isTrue(String value) {
        return value != null && value.trim().toLowerCase(Locale.ROOT).equals("true");
    }
}

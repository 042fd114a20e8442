package dev.coderd.metrics.log;

import java.io.PrintStream;

/**
 * The agent's logger: one line per event on standard error, prefixed {@code [coderd-metrics-agent]}.
 *
 * <p>Deliberately not {@code java.util.logging} or SLF4J: touching a logging framework from an agent can
 * initialise it before the application configures it (a custom {@code LogManager} then fails).
 */
public final class AgentLog {
    private static final String PREFIX = "[coderd-metrics-agent] ";
    private static volatile PrintStream out = System.err;

    private AgentLog() {}

    public static void info(String message) {
        out.println(PREFIX + "INFO " + message);
    }

    public static void warn(String message) {
        out.println(PREFIX + "WARN " + message);
    }

    public static void error(String message, Throwable t) {
        out.println(PREFIX + "ERROR " + message + (t == null ? "" : ": " + t));
    }
}

package dev.coderd.metrics.bridge;

import java.util.function.BiConsumer;

/**
 * Where advice reports its own failures. Every advice suppresses what it throws; Byte Buddy's exception
 * handler for our advice calls {@link #adviceFailed(Throwable, String)} so that a broken instrumentation is
 * counted and logged once instead of vanishing.
 */
public final class AgentBridge {
    private static volatile BiConsumer<Throwable, String> adviceErrors;

    private AgentBridge() {}

    public static void install(BiConsumer<Throwable, String> errors) {
        adviceErrors = errors;
    }

    public static void adviceFailed(Throwable error, String instrumentation) {
        BiConsumer<Throwable, String> errors = adviceErrors;
        if (errors != null) {
            try {
                errors.accept(error, instrumentation);
            } catch (Throwable ignored) {
                // reporting must never fail the host
            }
        }
    }
}

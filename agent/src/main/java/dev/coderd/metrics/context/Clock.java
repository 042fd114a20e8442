package dev.coderd.metrics.context;

/**
 * The time source of every recorder: {@link #SYSTEM} in the agent, a hand-moved clock in tests, so that a
 * test of "a 30 ms request lands in le=50" never sleeps.
 */
@FunctionalInterface
public interface Clock {
    Clock SYSTEM = System::nanoTime;

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();
}

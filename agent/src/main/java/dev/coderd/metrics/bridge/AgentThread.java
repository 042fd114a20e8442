package dev.coderd.metrics.bridge;

/**
 * Every thread the agent starts is one of these, and nothing else is: the one mark by which every bridge,
 * for every instrumentation present or future, recognises the agent's own work and stays out of it (the
 * listener's acceptor and workers would otherwise be counted as jobs, their scrapes as requests, the agent's
 * own SQL as queries).
 *
 * <pre>
 * Thread t = AgentThread.daemon(this::serve, "coderd-metrics-listener");
 * t.start();
 * ...
 * if (AgentThread.current()) return; // in a bridge method: not the application's work
 * </pre>
 *
 * <p>On the bootstrap class path so that the bridges (also there) can test it with one {@code instanceof}.
 */
public final class AgentThread extends Thread {
    private AgentThread(Runnable task, String name) {
        super(null, task, name);
        setDaemon(true);
    }

    /** A daemon thread marked as the agent's; not yet started. */
    public static Thread daemon(Runnable task, String name) {
        return new AgentThread(task, name);
    }

    /** True on a thread the agent started. */
    public static boolean current() {
        return Thread.currentThread() instanceof AgentThread;
    }
}

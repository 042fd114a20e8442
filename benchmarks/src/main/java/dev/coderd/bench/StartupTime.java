package dev.coderd.bench;

import java.nio.file.Path;

/**
 * Time from JVM launch to the test-app's first successful response, with and without the agent, in
 * alternating runs (so that machine noise falls on both alike); prints every run and the medians.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.coderd.bench.StartupTime [runs] [agent.jar] [test-app.jar]
 * </pre>
 */
public final class StartupTime {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path agent = ForkedApp.path(args, 1, "agent/target/coderd-metrics-agent.jar");
        Path app = ForkedApp.path(args, 2, "test-app/target/test-app.jar");
        double[] medians = ForkedApp.alternate(runs, agent, app, "ms", fork -> fork.awaitFirstOk("/api/v2/buildinfo") / 1e6);
        double a = medians[0];
        double b = medians[1];
        System.out.printf("median without agent %.0f ms, with agent %.0f ms: +%.0f ms (x%.2f), %d runs each%n", a, b, b - a, b / a, runs);
    }
}

package dev.coderd.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Server CPU per request under load: the test-app with and without the agent, alternating runs. Each run
 * warms up, then sends the same request mix from four client threads and divides the server process's CPU
 * time by the number of requests. The difference of the medians is the agent's CPU per request.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.coderd.bench.CpuPerRequest [runs] [requests] [agent.jar] [test-app.jar]
 * </pre>
 */
public final class CpuPerRequest {
    private static final List<String> MIX = List.of(
            "/api/v2/users/alice", "/api/v2/buildinfo", "/api/v2/workspaces/dev", "/api/v2/organizations/coder/templates",
            "/api/v2/users/nobody");

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 40_000;
        Path agent = ForkedApp.path(args, 2, "agent/target/coderd-metrics-agent.jar");
        Path app = ForkedApp.path(args, 3, "test-app/target/test-app.jar");
        double[] medians = ForkedApp.alternate(runs, agent, app, "us CPU per request", fork -> {
            fork.awaitFirstOk("/api/v2/buildinfo");
            drive(fork.port, requests / 2); // warm-up: JIT both paths
            long cpu0 = fork.cpuNanos();
            drive(fork.port, requests);
            return (fork.cpuNanos() - cpu0) / 1e3 / requests;
        });
        double a = medians[0];
        double b = medians[1];
        System.out.printf("median server CPU per request: without agent %.1f us, with agent %.1f us: agent +%.1f us (x%.3f), %d requests x %d runs each%n",
                a, b, b - a, b / a, requests, runs);
    }

    private static void drive(int port, int requests) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int offset = t;
            done.add(clients.submit(() -> {
                for (int i = offset; i < requests; i += 4) {
                    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + MIX.get(i % MIX.size()))).build();
                    ForkedApp.CLIENT.send(r, HttpResponse.BodyHandlers.discarding());
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        clients.shutdown();
    }
}

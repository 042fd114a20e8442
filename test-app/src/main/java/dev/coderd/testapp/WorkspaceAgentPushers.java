package dev.coderd.testapp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code --demo}: six simulated workspace agents that push their metrics to the intake of coderd's metrics
 * ({@code POST /v1/workspace-metrics}, bearer token) every 10 s, as Coder's workspace agents do. Each pushes four
 * series: {@code agent_sessions_total{magic_type=ssh|vscode}}, {@code agent_reconnecting_pty_connections_total}
 * and the gauge {@code agent_startup_script_seconds{success="true"}}.
 *
 * <pre>
 * CODERD_METRICS_INTAKE_TOKEN=demo-token java -javaagent:coderd-metrics-agent.jar -jar test-app.jar --demo
 * # options: --demo.intake-token=T (else the env variable), --demo.intake-url=http://127.0.0.1:2112/v1/workspace-metrics,
 * #          --demo.push-interval=10s
 * </pre>
 *
 * The four busy ones ({@code dev, ci, docs, ml}, the workspaces of {@link FleetTraffic}) count new sessions at
 * random after their first push; the two idle ones ({@code sandbox, scratch}) push the same values
 * {@value #IDLE_PUSHES} times and then stop, so their series expire on the agent ({@code workspace.expiry}).
 * Whenever {@link FleetTraffic} reconnects a busy workspace's agent listener, the agent deletes that workspace's
 * series (it left this instance) and they come back with its next push.
 * The first push of every agent carries the fixed values below, so that a test can assert them. The test-app
 * never references the agent: the token is the one the agent reads ({@value #TOKEN_ENV}), given to both.
 */
final class WorkspaceAgentPushers {
    static final String TOKEN_ENV = "CODERD_METRICS_INTAKE_TOKEN";
    static final String DEFAULT_URL = "http://127.0.0.1:2112/v1/workspace-metrics";
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** Pushes after which an idle agent stops (its workspace was stopped). */
    static final int IDLE_PUSHES = 3;

    /** One workspace agent; its counters move only on its pusher's thread. */
    private static final class SimulatedAgent {
        final String workspace;
        final String user;
        final boolean busy;
        final double startupSeconds;
        long sshSessions;
        long vscodeSessions;
        long ptyConnections;
        int pushes;

        SimulatedAgent(String workspace, String user, boolean busy, long ssh, long vscode, long pty, double startupSeconds) {
            this.workspace = workspace;
            this.user = user;
            this.busy = busy;
            this.sshSessions = ssh;
            this.vscodeSessions = vscode;
            this.ptyConnections = pty;
            this.startupSeconds = startupSeconds;
        }

        boolean running() {
            return busy || pushes < IDLE_PUSHES;
        }

        String bundle() {
            return "{\"workspace_id\":\"" + workspace + "\",\"user_id\":\"" + user + "\",\"agent_name\":\"main\",\"metrics\":["
                    + metric("agent_sessions_total", "counter", sshSessions, "magic_type", "ssh") + ","
                    + metric("agent_sessions_total", "counter", vscodeSessions, "magic_type", "vscode") + ","
                    + metric("agent_reconnecting_pty_connections_total", "counter", ptyConnections) + ","
                    + metric("agent_startup_script_seconds", "gauge", startupSeconds, "success", "true") + "]}";
        }

        /** After a push: a busy workspace opened a few sessions in the meantime. */
        void advance() {
            pushes++;
            if (busy) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                sshSessions += random.nextInt(3);
                vscodeSessions += random.nextInt(2);
                ptyConnections += random.nextInt(4) == 0 ? 1 : 0;
            }
        }

        private static String metric(String name, String type, double value, String... labels) {
            StringBuilder json = new StringBuilder("{\"name\":\"").append(name).append("\",\"type\":\"").append(type)
                    .append("\",\"value\":").append(value).append(",\"labels\":[");
            for (int i = 0; i < labels.length; i += 2) {
                json.append(i == 0 ? "" : ",").append("{\"name\":\"").append(labels[i]).append("\",\"value\":\"")
                        .append(labels[i + 1]).append("\"}");
            }
            return json.append("]}").toString();
        }
    }

    private WorkspaceAgentPushers() {}

    /** The six agents with the values of their first push. */
    private static List<SimulatedAgent> agents() {
        return List.of(
                new SimulatedAgent("dev", "alice", true, 4, 7, 2, 12.5),
                new SimulatedAgent("ci", "admin", true, 9, 0, 0, 3.25),
                new SimulatedAgent("docs", "bob", true, 1, 3, 1, 8.0),
                new SimulatedAgent("ml", "alice", true, 2, 5, 4, 41.75),
                new SimulatedAgent("sandbox", "bob", false, 0, 1, 0, 6.5),
                new SimulatedAgent("scratch", "me", false, 1, 0, 0, 2.0));
    }

    /** Starts pushing, or prints why it does not when no token is configured. */
    static void start(String token, String url, Duration interval) {
        if (token == null || token.isEmpty()) {
            System.out.println("demo: no workspace agents push metrics: set " + TOKEN_ENV
                    + " (for the agent and the test-app) or --demo.intake-token");
            return;
        }
        System.out.println("demo: 6 workspace agents push to " + url + " every " + millis(interval)
                + "; sandbox and scratch stop after " + IDLE_PUSHES + " pushes");
        Thread t = new Thread(() -> run(token, URI.create(url), interval), "demo-workspace-agents");
        t.setDaemon(true);
        t.start();
    }

    private static String millis(Duration interval) {
        return interval.toMillis() % 1000 == 0 ? interval.toSeconds() + " s" : interval.toMillis() + " ms";
    }

    private static void run(String token, URI url, Duration interval) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<SimulatedAgent> agents = agents();
        while (true) {
            for (SimulatedAgent agent : agents) {
                if (agent.running()) {
                    push(client, url, token, agent);
                    agent.advance();
                }
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void push(HttpClient client, URI url, String token, SimulatedAgent agent) {
        try {
            client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(agent.bundle())).build(), HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the demo keeps going whatever one push met (no agent, a refusal, a full queue)
        }
    }
}

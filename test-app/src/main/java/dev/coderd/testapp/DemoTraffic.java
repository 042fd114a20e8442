package dev.coderd.testapp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code --demo}: a daemon thread that uploads a license, then calls the service's own routes, four a second,
 * forever; the workspace builds it posts (a quarter of them to the always failing {@code broken} workspace) run
 * as background jobs.
 */
final class DemoTraffic {
    private static final List<String> GETS = List.of(
            "/api/v2/buildinfo", "/api/v2/users", "/api/v2/users/me", "/api/v2/users/alice", "/api/v2/users/nobody",
            "/api/v2/organizations/coder", "/api/v2/organizations/coder/templates", "/api/v2/organizations/acme",
            "/api/v2/templates/docker", "/api/v2/workspaces", "/api/v2/workspaces/dev",
            "/api/v2/workspacebuilds/42", "/api/v2/licenses", "/api/v2/debug/slow?ms=40", "/api/v2/debug/async?ms=20",
            "/api/v2/debug/panic", "/api/v2/no-such-route", "/favicon.ico");

    private DemoTraffic() {}

    /**
     * A Coder-style license for the demo's {@code coderd_license_*} gauges: issued 30 days ago, expiring in 60,
     * for 50 users (unsigned: the test service does not check signatures). Once, when there is none yet.
     */
    private static void uploadLicense(HttpClient client, String base) {
        try {
            HttpResponse<String> existing = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v2/licenses")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (!existing.body().equals("[]")) {
                return;
            }
            long now = System.currentTimeMillis() / 1000;
            String claims = "{\"iat\":" + (now - 30 * 86_400) + ",\"license_expires\":" + (now + 60 * 86_400)
                    + ",\"features\":{\"user_limit\":50}}";
            String jwt = "eyJhbGciOiJFZERTQSJ9." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".ZGVtbw";
            client.send(HttpRequest.newBuilder(URI.create(base + "/api/v2/licenses")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"license\":\"" + jwt + "\"}")).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            // the demo goes on without a license: the license gauges stay absent
        }
    }

    static void start(int port) {
        Thread t = new Thread(() -> run(port), "demo-traffic");
        t.setDaemon(true);
        t.start();
    }

    private static void run(int port) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://127.0.0.1:" + port;
        uploadLicense(client, base);
        while (true) {
            try {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                HttpRequest request = random.nextInt(5) == 0
                        ? HttpRequest.newBuilder(URI.create(base + "/api/v2/workspaces/"
                                + (random.nextInt(4) == 0 ? WorkspaceBuildJob.BROKEN_WORKSPACE : "dev") + "/builds"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(random.nextBoolean()
                                    ? "{\"transition\":\"start\",\"duration_ms\":" + (500 + random.nextInt(4000)) + "}" : "{}"))
                            .build()
                        : HttpRequest.newBuilder(URI.create(base + GETS.get(random.nextInt(GETS.size())))).build();
                client.send(request, HttpResponse.BodyHandlers.discarding());
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the demo keeps going whatever one request did
            }
        }
    }
}

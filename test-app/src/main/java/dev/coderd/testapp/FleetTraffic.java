package dev.coderd.testapp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code --demo}: a small fleet on the wsnet websockets ({@link WsnetEndpoints}). Four workspace agents each
 * keep a listener open and re-establish it after a restart (every 30 to 90 s); clients connect to a random
 * workspace about once a second and stay 2 to 20 s; a TURN relay session now and then. One session in four
 * ends with the client vanishing (no close frame), and one client in ten is refused for its foreign origin.
 */
final class FleetTraffic {
    private static final List<String> WORKSPACES = List.of("dev", "ci", "docs", "ml");

    private record Held(WebSocket socket, long untilMillis) {}

    private FleetTraffic() {}

    static void start(int port) {
        Thread t = new Thread(() -> run("ws://127.0.0.1:" + port), "demo-fleet");
        t.setDaemon(true);
        t.start();
    }

    private static void run(String base) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Map<String, Held> listeners = new HashMap<>();
        List<Held> sessions = new ArrayList<>();
        while (true) {
            try {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                long now = System.currentTimeMillis();
                for (String workspace : WORKSPACES) {
                    Held listener = listeners.get(workspace);
                    if (listener == null || now > listener.untilMillis()) {
                        if (listener != null) {
                            end(listener.socket());
                        }
                        Held next = open(client, base + "/api/private/envagent/" + workspace + "/listen", null,
                                now + 30_000 + random.nextInt(60_000));
                        if (next != null) {
                            listeners.put(workspace, next);
                        }
                    }
                }
                if (random.nextInt(4) == 0) {
                    String workspace = WORKSPACES.get(random.nextInt(WORKSPACES.size()));
                    String origin = random.nextInt(10) == 0 ? "https://elsewhere.example" : null;
                    add(sessions, open(client, base + "/api/private/envagent/" + workspace + "/connect", origin,
                            now + 2_000 + random.nextInt(18_000)));
                }
                if (random.nextInt(40) == 0) {
                    add(sessions, open(client, base + "/api/private/turn", null, now + 5_000 + random.nextInt(25_000)));
                }
                for (Iterator<Held> it = sessions.iterator(); it.hasNext(); ) {
                    Held session = it.next();
                    if (now > session.untilMillis()) {
                        end(session.socket());
                        it.remove();
                    }
                }
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the demo keeps going whatever one session did
            }
        }
    }

    private static void add(List<Held> sessions, Held session) {
        if (session != null) {
            sessions.add(session);
        }
    }

    /** A session held until {@code untilMillis}, or null when the server refused it. */
    private static Held open(HttpClient client, String uri, String origin, long untilMillis) {
        try {
            WebSocket.Builder builder = client.newWebSocketBuilder();
            if (origin != null) {
                builder.header("Origin", origin);
            }
            return new Held(builder.buildAsync(URI.create(uri), new WebSocket.Listener() { }).get(5, TimeUnit.SECONDS),
                    untilMillis);
        } catch (Exception refused) {
            return null;
        }
    }

    /** Closes normally, or one time in four vanishes without a close frame. */
    private static void end(WebSocket socket) {
        if (ThreadLocalRandom.current().nextInt(4) == 0) {
            socket.abort();
        } else {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }
}

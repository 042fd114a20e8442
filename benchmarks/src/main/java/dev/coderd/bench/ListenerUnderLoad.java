package dev.coderd.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scrape time of the agent's listener on the test-app, in one run: idle, under a slowloris load (200 clients
 * that each drip one header line a second and open a new connection when refused), beside an idle flood
 * (2,000 connections that send nothing), and idle again. Each phase times {@code scrapes} scrapes, one every
 * 250 ms, each on a fresh connection from connect to its last byte; a scrape that fails counts as failed.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.coderd.bench.ListenerUnderLoad [scrapes] [agent.jar] [test-app.jar]
 * </pre>
 *
 * The listener's cap is raised to 2,500 connections for the flood (default 1,000: past it the oldest idle
 * connections are closed, which this run is not about). Keep {@code ulimit -n} above 3,000.
 */
public final class ListenerUnderLoad {
    public static void main(String[] args) throws Exception {
        int scrapes = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path agent = Path.of(args.length > 1 ? args[1] : "agent/target/coderd-metrics-agent.jar");
        Path app = Path.of(args.length > 2 ? args[2] : "test-app/target/test-app.jar");
        int metricsPort = SideBySide.freePort();
        int port = SideBySide.freePort();
        Path log = Files.createTempFile("listener-under-load", ".log");
        try (Server server = Server.start(Path.of(System.getProperty("java.home")),
                List.of("-javaagent:" + agent + "=port=" + metricsPort + ",listener.max-connections=2500"),
                List.of("-jar", app.toString(), "--server.port=" + port), log)) {
            server.awaitFirstOk("http://127.0.0.1:" + port + "/api/v2/buildinfo", java.time.Duration.ofSeconds(120));
            while (scrape(metricsPort) < 0) {
                Thread.sleep(50);
            }
            for (int i = 0; i < 10; i++) {
                scrape(metricsPort); // warm-up: JIT, and the JVM families registered on the first scrape
            }
            phase("idle", metricsPort, scrapes);
            try (Abusers drip = Abusers.slowloris(metricsPort, 200)) {
                Thread.sleep(1500);
                phase("slowloris, 200 dripping clients", metricsPort, scrapes);
                System.out.printf("    (the drippers got %d refusals and reconnected)%n", drip.refusals());
            }
            try (Abusers flood = Abusers.idle(metricsPort, 2000)) {
                phase("idle flood, " + flood.open() + " idle connections", metricsPort, scrapes);
            }
            phase("idle again", metricsPort, scrapes);
        }
    }

    static void phase(String name, int port, int scrapes) throws InterruptedException {
        List<Long> ms = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < scrapes; i++) {
            long t = scrape(port);
            if (t < 0) {
                failed++;
            } else {
                ms.add(t);
            }
            Thread.sleep(250);
        }
        ms.sort(null);
        System.out.printf("%-40s scrapes %d ok, %d failed; median %.1f ms, max %.1f ms%n", name, ms.size(), failed,
                ms.isEmpty() ? Double.NaN : ms.get(ms.size() / 2) / 1e6, ms.isEmpty() ? Double.NaN : ms.get(ms.size() - 1) / 1e6);
    }

    /** Nanoseconds for one scrape that answered 200, or -1. */
    static long scrape(int port) {
        long start = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            return text.startsWith("HTTP/1.1 200") ? System.nanoTime() - start : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Connections held open against the listener by one daemon thread. */
    static final class Abusers implements AutoCloseable {
        private final List<Socket> sockets = new ArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private volatile int refusals;

        private Abusers(int port, int count, boolean drip) throws IOException {
            for (int i = 0; i < count; i++) {
                sockets.add(open(port, drip));
            }
            thread = new Thread(() -> {
                for (int n = 0; running.get(); n++) {
                    if (drip) {
                        for (int i = 0; i < sockets.size(); i++) {
                            try {
                                Socket s = sockets.get(i);
                                if (s.getInputStream().available() > 0 || s.isClosed()) {
                                    throw new IOException("answered");
                                }
                                s.getOutputStream().write(("X-Drip-" + n + ": 1\r\n").getBytes(StandardCharsets.ISO_8859_1));
                            } catch (IOException refused) {
                                refusals++;
                                closeQuietly(sockets.get(i));
                                try {
                                    sockets.set(i, open(port, true));
                                } catch (IOException e) {
                                    // try again next round
                                }
                            }
                        }
                    }
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "load");
            thread.setDaemon(true);
            thread.start();
        }

        static Abusers slowloris(int port, int clients) throws IOException {
            return new Abusers(port, clients, true);
        }

        static Abusers idle(int port, int connections) throws IOException {
            return new Abusers(port, connections, false);
        }

        private static Socket open(int port, boolean drip) throws IOException {
            Socket s = new Socket("127.0.0.1", port);
            if (drip) {
                s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            return s;
        }

        int open() {
            return sockets.size();
        }

        int refusals() {
            return refusals;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.interrupt();
            thread.join();
            sockets.forEach(Abusers::closeQuietly);
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // gone
            }
        }
    }
}

package dev.coderd.metrics.exporter;

import dev.coderd.metrics.bridge.AgentThread;
import dev.coderd.metrics.log.AgentLog;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.RuntimeMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's HTTP listener ({@code :2112} by default): {@code /metrics}, {@code /-/healthy} and an index.
 *
 * <pre>
 * MetricsListener listener = new MetricsListener("0.0.0.0", 2112, Duration.ofSeconds(5), registry, runtime, bindFailures);
 * listener.start(); // returns at once; binds (and keeps retrying) on a daemon thread
 * </pre>
 *
 * <p>Deliberately not {@code com.sun.net.httpserver}: the JDK reads every {@code sun.net.httpserver.*}
 * property once, JVM-wide, when its first HTTP server starts. A listener of ours started from premain
 * would freeze those settings before the application's {@code main} could set them for its own servers.
 * A plain socket server has no such reach, sets TCP_NODELAY per connection, and is never mistaken for the
 * application's server by the HTTP instrumentation.
 *
 * <p>Bounded: up to {@value #WORKERS} daemon worker threads, started on demand and ended after 30 s idle, a
 * queue of 16 connections (more are closed at once), a 10 s read timeout, request limits in {@link HttpRequest}.
 * A worker serves one connection at a time and Prometheus keeps its connection open between scrapes, so every
 * scraper holds a worker: the pool grows to its maximum before anything queues (a pool of 2 core threads that
 * only grows once the queue is full left a third client, such as a kubelet probe beside an HA pair of
 * Prometheus servers, waiting for ever; RealPrometheusIT found it).
 */
public final class MetricsListener {
    static final String THREAD_PREFIX = "coderd-metrics-listener";
    private static final int READ_TIMEOUT_MS = 10_000;
    static final int WORKERS = 8;

    private final String address;
    private final int port;
    private final Duration retry;
    private final Counter bindFailures;
    private final AgentRegistry registry;
    private final RuntimeMetrics runtime;
    private final ThreadPoolExecutor workers;
    private Map<String, Endpoint> endpoints; // built on the listener thread, not in premain

    public MetricsListener(String address, int port, Duration retry, AgentRegistry registry, RuntimeMetrics runtime,
                           Counter bindFailures) {
        this.address = address;
        this.port = port;
        this.retry = retry;
        this.bindFailures = bindFailures;
        this.registry = registry;
        this.runtime = runtime;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(16),
                r -> AgentThread.daemon(r, THREAD_PREFIX + "-" + n.incrementAndGet()));
        workers.allowCoreThreadTimeOut(true); // threads on demand, none left behind when nobody scrapes
    }

    public void start() {
        AgentThread.daemon(this::bindAndServe, THREAD_PREFIX).start();
    }

    private void bindAndServe() {
        endpoints = Map.of(
                "/metrics", new ScrapeEndpoint(registry, runtime),
                "/-/healthy", request -> HttpResponse.text(200, "Exporter is Healthy.\n"),
                "/", request -> HttpResponse.text(200, "coderd-metrics-agent: metrics at /metrics\n"));
        ServerSocket server = bind();
        AgentLog.info("serving metrics on http://" + address + ":" + server.getLocalPort() + "/metrics");
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                pause(100); // out of file descriptors, say: back off instead of spinning
                continue;
            }
            try {
                workers.execute(() -> serve(client));
            } catch (RejectedExecutionException busy) {
                closeQuietly(client);
            }
        }
    }

    /** Binds, or logs once and keeps retrying: a port taken by another JVM must not stop this one. */
    private ServerSocket bind() {
        boolean logged = false;
        while (true) {
            try {
                ServerSocket server = new ServerSocket();
                try {
                    server.bind(new InetSocketAddress(address, port), 50);
                } catch (IOException e) {
                    server.close();
                    throw e;
                }
                return server;
            } catch (IOException | RuntimeException e) {
                bindFailures.inc();
                if (!logged) {
                    logged = true;
                    AgentLog.warn("cannot listen on " + address + ":" + port + " (" + e.getMessage()
                            + "); the application runs on, and the agent retries every " + retry.toMillis() + " ms");
                }
                pause(retry.toMillis());
            }
        }
    }

    private void serve(Socket client) {
        try (Socket s = client) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(READ_TIMEOUT_MS);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            while (true) {
                HttpRequest request;
                try {
                    request = HttpRequest.read(in);
                } catch (HttpRequest.BadRequest bad) {
                    HttpResponse.text(bad.status, bad.getMessage() + "\n").write(out, true, false);
                    return;
                }
                if (request == null) {
                    return;
                }
                HttpResponse response = respond(request);
                response.write(out, !request.method.equals("HEAD"), request.keepAlive);
                if (!request.keepAlive) {
                    return;
                }
            }
        } catch (SocketException | java.net.SocketTimeoutException closed) {
            // the client went away or idled out
        } catch (IOException | RuntimeException e) {
            // one bad connection must not affect the next
        }
    }

    private HttpResponse respond(HttpRequest request) {
        Endpoint endpoint = endpoints.get(request.path);
        if (endpoint == null) {
            return HttpResponse.text(404, "not found; metrics are at /metrics\n");
        }
        if (!request.method.equals("GET") && !request.method.equals("HEAD")) {
            return HttpResponse.text(405, "method not allowed\n").header("Allow", "GET, HEAD");
        }
        return endpoint.handle(request);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}

package dev.coderd.metrics.exporter;

import dev.coderd.metrics.bridge.AgentThread;
import dev.coderd.metrics.config.AgentConfig;
import dev.coderd.metrics.context.Clock;
import dev.coderd.metrics.exporter.webconfig.WebConfig;
import dev.coderd.metrics.exporter.webconfig.WebConfigException;
import dev.coderd.metrics.exporter.webconfig.WebConfigFile;
import dev.coderd.metrics.log.AgentLog;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.RuntimeMetrics;
import dev.coderd.metrics.metrics.WorkspaceMetrics;
import dev.coderd.metrics.workspace.WorkspaceAggregator;
import io.prometheus.metrics.core.metrics.Counter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The agent's HTTP listener ({@code :2112} by default): {@code /metrics}, {@code /-/healthy} and an index.
 *
 * <pre>
 * MetricsListener.create(config, registry, runtime, health.bindFailures).start(); // returns at once
 * </pre>
 *
 * <p>A selector-based HTTP/1.1 server of our own ({@link ListenerLoop}): one thread reads every request and
 * writes every response without blocking, so slow, idle or hostile clients cost a socket each, never a
 * thread; scrapes run on a small bounded pool ({@link Routes}). Deliberately not {@code com.sun.net.httpserver}:
 * the JDK reads every {@code sun.net.httpserver.*} property once, JVM-wide, when its first HTTP server
 * starts, so ours would freeze the host's settings. TLS and basic auth come from a web-config file in the
 * Prometheus exporter-toolkit's format ({@link WebConfigFile}), re-read every second; a file that is invalid
 * at start keeps the listener off (never serving unprotected) until it is fixed.
 */
public final class MetricsListener {
    static final String THREAD_PREFIX = "coderd-metrics-listener";
    private static final long WEB_CONFIG_POLL_MILLIS = 1000;

    private final String address;
    private final int port;
    private final Duration retry;
    private final Counter bindFailures;
    private final AgentRegistry registry;
    private final RuntimeMetrics runtime;
    private final ListenerLimits limits;
    private final Path webConfig;
    private final Clock clock;
    private volatile WebState state = WebState.PLAIN;
    private volatile ListenerLoop loop;
    private volatile Routes routes;
    private volatile boolean stopped;
    private volatile int boundPort = -1;
    private volatile IntakeEndpoint intake;
    /** Why the workspace-metrics intake is off, said on the start-up line; null when it is on. */
    private volatile String intakeOff;

    MetricsListener(String address, int port, Duration retry, AgentRegistry registry, RuntimeMetrics runtime,
                    Counter bindFailures, ListenerLimits limits, Path webConfig, Clock clock) {
        this.address = address;
        this.port = port;
        this.retry = retry;
        this.bindFailures = bindFailures;
        this.registry = registry;
        this.runtime = runtime;
        this.limits = limits;
        this.webConfig = webConfig;
        this.clock = clock;
    }

    public static MetricsListener create(AgentConfig config, AgentRegistry registry, RuntimeMetrics runtime, Counter bindFailures) {
        String file = config.get(ListenerKeys.WEB_CONFIG).trim();
        return new MetricsListener(config.address(), config.port(), config.bindRetry(), registry, runtime, bindFailures,
                ListenerLimits.of(config), file.isEmpty() ? null : Path.of(file), Clock.SYSTEM);
    }

    /**
     * Serves {@code POST /v1/workspace-metrics} into {@code aggregator}, authenticated by {@code token}; call
     * before {@link #start()}. Without a call the path answers 404.
     */
    public MetricsListener workspaceIntake(String token, WorkspaceAggregator aggregator, WorkspaceMetrics metrics) {
        intake = new IntakeEndpoint(token, aggregator, metrics);
        return this;
    }

    /** The intake stays off (its path answers 404); the start-up line ends with {@code reason}. */
    public MetricsListener workspaceIntakeOff(String reason) {
        intakeOff = reason;
        return this;
    }

    public void start() {
        AgentThread.daemon(this::bindAndServe, THREAD_PREFIX).start();
    }

    /** The bound port, or -1 before binding (tests bind port 0). */
    int boundPort() {
        return boundPort;
    }

    /** Stops the listener (tests; the agent's listener lives as long as the JVM). */
    void stop() {
        stopped = true;
        ListenerLoop l = loop;
        if (l != null) {
            l.stop();
        }
        Routes r = routes;
        if (r != null) {
            r.shutdown();
        }
    }

    private void bindAndServe() {
        // built here, not in premain: the endpoints and metrics touch the Prometheus client's classes
        ListenerMetrics metrics = new ListenerMetrics(registry);
        Map<String, Endpoint> endpoints = new HashMap<>(Map.<String, Endpoint>of(
                "/metrics", new ScrapeEndpoint(registry, runtime),
                Routes.HEALTHY, request -> HttpResponse.text(200, "Exporter is Healthy.\n"),
                "/", request -> HttpResponse.text(200, "coderd-metrics-agent: metrics at /metrics\n")));
        if (intake != null) {
            endpoints.put(IntakeEndpoint.PATH, intake);
        }
        WebConfigFile file = webConfig == null ? null : new WebConfigFile(webConfig);
        if (file != null) {
            state = new WebState(loadUntilValid(file), null);
            if (stopped) {
                return;
            }
        }
        ServerSocketChannel server = bind();
        if (server == null) {
            return;
        }
        Routes r = new Routes(endpoints, metrics, () -> state);
        ListenerLoop l;
        try {
            l = new ListenerLoop(server, r, metrics, () -> state, limits, clock);
        } catch (IOException e) {
            AgentLog.error("the metrics listener cannot start", e);
            return;
        }
        r.attach(l);
        routes = r;
        loop = l;
        if (stopped) {
            l.stop();
        }
        String scheme = state.tls() == null ? "http" : "https";
        AgentLog.info("serving metrics on " + scheme + "://" + address + ":" + boundPort + "/metrics"
                + (file == null ? "" : " (web-config " + file.path() + ": " + state.config + ")")
                + (intakeOff == null ? "" : "; " + IntakeEndpoint.PATH + " answers 404: " + intakeOff));
        if (file != null) {
            AgentThread.daemon(() -> watch(file, metrics), THREAD_PREFIX + "-web-config").start();
        }
        l.run();
    }

    /** At start: a file that is not valid keeps the listener off; it is read again each second until it is. */
    private WebConfig loadUntilValid(WebConfigFile file) {
        String logged = null;
        while (!stopped) {
            if (logged == null || file.changed()) {
                try {
                    return file.load();
                } catch (WebConfigException e) {
                    if (!e.getMessage().equals(logged)) {
                        AgentLog.warn("web-config " + file.path() + " is not valid: " + e.getMessage()
                                + "; the metrics listener stays off until the file is fixed");
                        logged = e.getMessage();
                    }
                }
            }
            pause(WEB_CONFIG_POLL_MILLIS);
        }
        return WebConfig.NONE;
    }

    /** After start: a changed file is read again; an invalid one turns every protected path to 500 until fixed. */
    private void watch(WebConfigFile file, ListenerMetrics metrics) {
        while (!stopped) {
            pause(WEB_CONFIG_POLL_MILLIS);
            try {
                if (!file.changed()) {
                    continue;
                }
                try {
                    WebConfig config = file.load();
                    state = new WebState(config, null);
                    metrics.reloads.labelValues("success").inc();
                    AgentLog.info("web-config " + file.path() + " reloaded: " + config);
                } catch (WebConfigException e) {
                    state = new WebState(state.config, e.getMessage());
                    metrics.reloads.labelValues("failure").inc();
                    AgentLog.warn("web-config " + file.path() + " is not valid: " + e.getMessage()
                            + "; every path but /-/healthy answers 500 until the file is fixed");
                }
            } catch (RuntimeException | LinkageError e) {
                AgentLog.error("reading web-config " + file.path() + " failed", e);
            }
        }
    }

    /** Binds, or logs once and keeps retrying: a port taken by another JVM must not stop this one. */
    private ServerSocketChannel bind() {
        boolean logged = false;
        while (!stopped) {
            try {
                ServerSocketChannel server = ServerSocketChannel.open();
                try {
                    server.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true); // as ServerSocket's default
                    server.bind(new InetSocketAddress(address, port), 1024);
                } catch (IOException | RuntimeException e) {
                    server.close();
                    throw e;
                }
                boundPort = ((InetSocketAddress) server.getLocalAddress()).getPort();
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
        return null;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.coderd.metrics.exporter;

import dev.coderd.metrics.context.Clock;
import dev.coderd.metrics.log.AgentLog;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The listener's one selector thread: accepts, reads and parses every request head, writes every response,
 * enforces every deadline and the connection cap. It never blocks and never runs a scrape (those go to
 * {@link Routes}' bounded worker pool and come back through {@link #complete}), so a client that drips,
 * idles or stops reading costs a socket and a few hundred bytes, never a thread.
 *
 * <p>The cap: at {@code maxConnections} open, a new connection closes the oldest idle one (counted as
 * {@code evicted}); when none is idle, the newcomer gets {@code 503} and is closed.
 */
final class ListenerLoop implements Runnable {
    static final long WRITE_TIMEOUT_NANOS = 30_000_000_000L;
    static final long LINGER_NANOS = 2_000_000_000L;
    private static final long SWEEP_MILLIS = 100;
    private static final long ACCEPT_BACKOFF_NANOS = 100_000_000L;
    private static final byte[] OVER_CAPACITY = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Retry-After: 1\r\nContent-Length: 35\r\nConnection: close\r\n\r\ntoo many connections to the agent.\n")
            .getBytes(StandardCharsets.ISO_8859_1);

    final ListenerMetrics metrics;
    final Routes routes;
    final long headTimeoutNanos;
    final long idleTimeoutNanos;
    final ByteBuffer scratch = ByteBuffer.allocate(HttpRequest.MAX_HEAD + 2048);
    /** Idle connections, oldest first: the first to go when the cap is reached. */
    private final LinkedHashSet<Connection> idle = new LinkedHashSet<>();

    private final int maxConnections;
    private final Clock clock;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final WebState.Source web;
    private final Set<Connection> open = new HashSet<>();
    private final ConcurrentLinkedQueue<Runnable> completions = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Connection> resumable = new ArrayDeque<>();
    private final List<Connection> expired = new ArrayList<>();
    private volatile boolean stopped;
    private long acceptPausedUntil;
    private boolean acceptPaused;
    private boolean loopErrorLogged;

    ListenerLoop(ServerSocketChannel server, Routes routes, ListenerMetrics metrics, WebState.Source web,
                 ListenerLimits limits, Clock clock) throws IOException {
        this.server = server;
        this.routes = routes;
        this.metrics = metrics;
        this.web = web;
        this.headTimeoutNanos = limits.headTimeout().toNanos();
        this.idleTimeoutNanos = limits.idleTimeout().toNanos();
        this.maxConnections = limits.maxConnections();
        this.clock = clock;
        this.selector = Selector.open();
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    long now() {
        return clock.nanoTime();
    }

    /** The web-config's extra response headers, for every response. */
    List<String[]> extraHeaders() {
        return web.current().headers();
    }

    /** Hands a response made on another thread to the loop, which sends it. */
    void complete(Connection c, HttpResponse response) {
        completions.add(() -> c.respond(response, now()));
        selector.wakeup();
    }

    /** Runs {@code task} on the loop's thread. */
    void later(Runnable task) {
        completions.add(task);
        selector.wakeup();
    }

    void resume(Connection c) {
        resumable.add(c);
    }

    void markIdle(Connection c) {
        idle.add(c);
        countConnections();
    }

    void markActive(Connection c) {
        idle.remove(c);
        countConnections();
    }

    void closed(Connection c) {
        open.remove(c);
        idle.remove(c);
        countConnections();
    }

    private void countConnections() {
        metrics.idle.set(idle.size());
        metrics.active.set(open.size() - idle.size());
    }

    void stop() {
        stopped = true;
        selector.wakeup();
    }

    @Override
    public void run() {
        long nextSweep = now();
        while (!stopped) {
            try {
                if (resumable.isEmpty() && completions.isEmpty()) {
                    selector.select(SWEEP_MILLIS);
                } else {
                    selector.selectNow();
                }
                long now = now();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        acceptAll(now);
                    } else {
                        Connection c = (Connection) key.attachment();
                        try {
                            c.onReady(key.readyOps(), now);
                        } catch (IOException | RuntimeException e) {
                            c.close(); // one bad connection never affects another
                        }
                    }
                }
                for (Runnable task = completions.poll(); task != null; task = completions.poll()) {
                    task.run();
                }
                for (int n = resumable.size(); n > 0; n--) {
                    Connection c = resumable.poll();
                    try {
                        c.resume(now());
                    } catch (IOException | RuntimeException e) {
                        c.close();
                    }
                }
                now = now();
                if (now - nextSweep >= 0) {
                    sweep(now);
                    nextSweep = now + SWEEP_MILLIS * 1_000_000;
                }
                if (acceptPaused && now - acceptPausedUntil >= 0) {
                    acceptPaused = false;
                    server.keyFor(selector).interestOps(SelectionKey.OP_ACCEPT);
                }
            } catch (Throwable t) {
                if (!loopErrorLogged) {
                    loopErrorLogged = true;
                    AgentLog.error("the metrics listener hit an unexpected error and serves on (later ones are not logged)", t);
                }
            }
        }
        for (Connection c : new ArrayList<>(open)) {
            c.close();
        }
        try {
            selector.close();
            server.close();
        } catch (IOException ignored) {
            // stopping anyway
        }
    }

    private void acceptAll(long now) {
        for (int i = 0; i < 256; i++) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                // out of file descriptors, say: free the oldest idle one and back off instead of spinning
                Iterator<Connection> oldest = idle.iterator();
                if (oldest.hasNext()) {
                    metrics.closed(ListenerMetrics.EVICTED);
                    oldest.next().close();
                }
                acceptPaused = true;
                acceptPausedUntil = now + ACCEPT_BACKOFF_NANOS;
                server.keyFor(selector).interestOps(0);
                return;
            }
            if (channel == null) {
                return;
            }
            if (open.size() >= maxConnections) {
                Iterator<Connection> oldest = idle.iterator();
                if (!oldest.hasNext()) {
                    refuseOverCapacity(channel);
                    continue;
                }
                metrics.closed(ListenerMetrics.EVICTED);
                oldest.next().close();
            }
            accept(channel, now);
        }
    }

    private void accept(SocketChannel channel, long now) {
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            WebState state = web.current();
            Transport transport = state.tls() == null
                    ? new PlainTransport(channel) : new TlsTransport(channel, state.tls().newEngine());
            Connection c = new Connection(this, channel, transport, now);
            c.register(channel.register(selector, SelectionKey.OP_READ, c));
            open.add(c);
            markIdle(c);
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // gone
            }
        }
    }

    private void refuseOverCapacity(SocketChannel channel) {
        metrics.refused(ListenerMetrics.CONNECTION_LIMIT);
        try {
            if (web.current().tls() == null) {
                channel.configureBlocking(false);
                channel.write(ByteBuffer.wrap(OVER_CAPACITY));
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // gone
            }
        }
    }

    private void sweep(long now) {
        expired.clear();
        expired.addAll(open);
        for (Connection c : expired) {
            c.checkDeadline(now);
            c.updateInterest();
        }
        expired.clear();
    }
}

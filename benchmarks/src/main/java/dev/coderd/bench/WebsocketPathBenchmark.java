package dev.coderd.bench;

import dev.coderd.metrics.bridge.websocket.WebsocketBridge;
import dev.coderd.metrics.config.Rule;
import dev.coderd.metrics.context.Clock;
import dev.coderd.metrics.context.RequestContext;
import dev.coderd.metrics.http.HttpRecorder;
import dev.coderd.metrics.instrumentation.websocket.WebsocketSessionHook;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.ApiMetrics;
import dev.coderd.metrics.metrics.RtcMetrics;
import dev.coderd.metrics.ws.WebsocketRecorder;
import dev.coderd.metrics.ws.WebsocketSession;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the agent adds to one websocket session, as the advice drives it: {@code onOpen} (the scope is put into the
 * session's user properties, a {@code ConcurrentHashMap} as in Tomcat, and the gauges go up) and {@code onClose}
 * (the scope is removed, the gauges go down, the lifetime is observed); and what it adds to one upgrade request
 * (the client-connect match).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar WebsocketPathBenchmark -prof gc
 * </pre>
 *
 * {@code gc.alloc.rate.norm} is the agent's allocation per session (budget: the scope, and the map entry that
 * holds it in the container's map).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class WebsocketPathBenchmark {
    static final String LISTEN = "/api/private/envagent/{workspace}/listen";
    static final String CONNECT = "/api/private/envagent/{workspace}/connect";
    static final URI LISTEN_URI = URI.create("ws://127.0.0.1:8080/api/private/envagent/dev/listen");

    private WebsocketRecorder recorder;
    private WebsocketSessionHook hook;
    private WebsocketRecorder aggregated;
    private WebsocketSessionHook aggregatedHook;
    private final Map<String, Object> handshake = new ConcurrentHashMap<>();

    /** One session's user properties per thread, reused: each benchmark call is one session opened and closed. */
    @State(Scope.Thread)
    public static class Session {
        final Map<String, Object> properties = new ConcurrentHashMap<>();
    }

    @Setup
    public void setUp() {
        recorder = recorder();
        hook = new WebsocketSessionHook(recorder, http(), new RequestContext());
        aggregated = recorder();
        aggregated.onAgentListenerClosed(workspace -> { });
        aggregatedHook = new WebsocketSessionHook(aggregated, http(), new RequestContext());
        handshake.put(WebsocketBridge.ROUTE_PROPERTY, CONNECT);
    }

    private static WebsocketRecorder recorder() {
        AgentRegistry registry = new AgentRegistry(2000);
        return new WebsocketRecorder(new ApiMetrics(registry), new RtcMetrics(registry),
                List.of(new Rule(LISTEN, "agent-listener"), new Rule(CONNECT, "client-connect"),
                        new Rule("/api/private/turn", "turn")), 2000, Clock.SYSTEM);
    }

    private static HttpRecorder http() {
        return new HttpRecorder(new ApiMetrics(new AgentRegistry(2000)), List.of(), 2000, new RequestContext(), Clock.SYSTEM);
    }

    /** A client-connect session through the hook: open, close. */
    @Benchmark
    public Object sessionOpenAndClose(Session session) {
        Object scope = hook.open(session.properties, handshake, CONNECT);
        hook.close(session.properties, LISTEN_URI);
        return scope;
    }

    /** The same on two threads: contention on the route's data points. */
    @Benchmark
    @Threads(2)
    public Object sessionOpenAndCloseTwoThreads(Session session) {
        return sessionOpenAndClose(session);
    }

    /** The recorder alone, without the container's map. */
    @Benchmark
    public Object recorderOpenAndClose() {
        WebsocketSession session = recorder.session(CONNECT);
        recorder.open(session);
        recorder.close(session, null);
        return session;
    }

    /** An agent listener whose close the aggregator hears: the {@code {workspace}} segment is read. */
    @Benchmark
    public Object agentListenerWithAggregator(Session session) {
        Object scope = aggregatedHook.open(session.properties, session.properties, LISTEN);
        aggregatedHook.close(session.properties, LISTEN_URI);
        return scope;
    }

    /** An upgrade request on a client-connect route: the attempt counter. */
    @Benchmark
    public void upgradeAttempt() {
        recorder.upgradeAttempted("/api/private/envagent/dev/connect");
    }
}

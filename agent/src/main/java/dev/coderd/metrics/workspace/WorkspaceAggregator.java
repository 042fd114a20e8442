package dev.coderd.metrics.workspace;

import dev.coderd.metrics.bridge.AgentThread;
import dev.coderd.metrics.context.Clock;
import dev.coderd.metrics.metrics.WorkspaceMetrics;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The workspace-metrics aggregator: bundles pushed by workspace agents, the last value per series, exposed as
 * {@code coderd_workspace_<name>{user_id, workspace_id, agent_name, <agent labels>}} until they expire.
 *
 * <pre>
 * WorkspaceAggregator a = new WorkspaceAggregator(WorkspaceSettings.of(config), metrics, Clock.SYSTEM);
 * a.start();                              // its owner thread
 * a.offer(bundle);                        // false: the queue is full (503)
 * a.deleteWorkspace("dev");               // its agent listener closed here
 * MetricSnapshots s = a.collect();        // a scrape
 * </pre>
 *
 * <p>One owner thread holds all state (plain maps, no locks): it applies queued bundles one at a time (each
 * whole or not at all: a bundle that would pass a series cap or change a family's type is refused entire and
 * counted), deletes workspaces whose listener closed, sweeps expired series, and answers scrapes. A scrape
 * queues a request and waits at most {@link #COLLECT_DEADLINE}; past it, it gets the previous answer and
 * never blocks on the intake. The six {@code coderd_agent_aggregator_*} families are built in the same
 * pass, so they describe the state that the scrape shows.
 *
 * <p>Allocation: one {@link Series} (with its {@code Labels}) per new series, none for an update beyond the
 * key string; a collect allocates one data point per stored series.
 */
public final class WorkspaceAggregator {
    static final Duration COLLECT_DEADLINE = Duration.ofSeconds(1);
    static final int DELETE_QUEUE = 4096;

    private final Settings settings;
    private final WorkspaceMetrics metrics;
    private final Clock clock;
    private final ArrayBlockingQueue<Bundle> bundles;
    private final ArrayBlockingQueue<String> deletions = new ArrayBlockingQueue<>(DELETE_QUEUE);
    private final ConcurrentLinkedQueue<CompletableFuture<MetricSnapshots>> collects = new ConcurrentLinkedQueue<>();
    private final AtomicInteger collectBacklog = new AtomicInteger();
    private volatile Thread owner;
    private volatile MetricSnapshots last = MetricSnapshots.of();

    // owner-thread state
    private final Map<String, Workspace> workspaces = new HashMap<>();
    private final Map<String, Family> families = new HashMap<>();
    private int seriesCount;
    private long nextSweep;
    private long collectCount;
    private double collectNanosSum;

    /** What the keys configure, read once. */
    public record Settings(Duration expiry, int maxSeries, int maxSeriesPerWorkspace, int queue) {}

    public WorkspaceAggregator(Settings settings, WorkspaceMetrics metrics, Clock clock) {
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.bundles = new ArrayBlockingQueue<>(settings.queue());
    }

    /** Starts the owner thread. */
    public void start() {
        Thread t = AgentThread.daemon(this::run, "coderd-metrics-workspace-aggregator");
        owner = t;
        t.start();
    }

    /** Queues a validated bundle; false when the queue is full (the caller answers 503). Never blocks. */
    public boolean offer(Bundle bundle) {
        if (!bundles.offer(bundle)) {
            metrics.bundles(WorkspaceMetrics.QUEUE_FULL);
            return false;
        }
        metrics.bundles(WorkspaceMetrics.ACCEPTED);
        wake();
        return true;
    }

    /** Queues the deletion of every series of {@code workspaceId}; never blocks (a full queue leaves them to expiry). */
    public void deleteWorkspace(String workspaceId) {
        if (!deletions.offer(workspaceId)) {
            metrics.bundles(WorkspaceMetrics.DELETE_QUEUE_FULL);
        }
        wake();
    }

    /** A scrape's view: waits for the owner at most {@link #COLLECT_DEADLINE}, else answers the previous view. */
    public MetricSnapshots collect() {
        Thread t = owner;
        if (t == null || !t.isAlive()) {
            return last;
        }
        CompletableFuture<MetricSnapshots> request = new CompletableFuture<>();
        collectBacklog.incrementAndGet();
        collects.add(request);
        LockSupport.unpark(t);
        try {
            return request.get(COLLECT_DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            request.cancel(false);
            return last;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return last;
        }
    }

    private void wake() {
        Thread t = owner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void run() {
        while (true) {
            try {
                if (!step()) {
                    LockSupport.parkNanos(sweepInterval());
                }
            } catch (RuntimeException | LinkageError e) {
                metrics.bundles(WorkspaceMetrics.ERROR); // never reached in tests; the owner keeps going
            }
        }
    }

    /** One round of the owner's work; true when it did something (and should look again before parking). */
    boolean step() {
        boolean worked = false;
        CompletableFuture<MetricSnapshots> c;
        while ((c = collects.poll()) != null) {
            collectBacklog.decrementAndGet();
            if (!c.isDone()) {
                c.complete(snapshot());
            }
            worked = true;
        }
        String w;
        while ((w = deletions.poll()) != null) {
            delete(w);
            worked = true;
        }
        Bundle b = bundles.poll();
        if (b != null) {
            apply(b);
            worked = true;
        }
        long now = clock.nanoTime();
        if (now - nextSweep >= 0) {
            sweep(now);
            nextSweep = now + sweepInterval();
        }
        return worked;
    }

    private long sweepInterval() {
        return Math.min(TimeUnit.SECONDS.toNanos(1), Math.max(TimeUnit.MILLISECONDS.toNanos(50), settings.expiry().toNanos() / 4));
    }

    void apply(Bundle bundle) {
        long now = clock.nanoTime();
        Workspace ws = workspaces.get(bundle.workspaceId());
        int fresh = 0;
        List<String> keys = new ArrayList<>(bundle.samples().size());
        for (Bundle.Sample s : bundle.samples()) {
            Family f = families.get(s.name());
            if (f != null && f.counter != s.counter()) {
                metrics.bundles(WorkspaceMetrics.TYPE_CONFLICT);
                return;
            }
            String key = key(bundle, s);
            keys.add(key);
            if (ws == null || !ws.series.containsKey(key)) {
                fresh++;
            }
        }
        int inWorkspace = ws == null ? 0 : ws.series.size();
        if (inWorkspace + fresh > settings.maxSeriesPerWorkspace()) {
            metrics.bundles(WorkspaceMetrics.WORKSPACE_LIMIT);
            return;
        }
        if (seriesCount + fresh > settings.maxSeries()) {
            metrics.bundles(WorkspaceMetrics.TOTAL_LIMIT);
            return;
        }
        if (ws == null) {
            ws = new Workspace(now);
            workspaces.put(bundle.workspaceId(), ws);
        }
        for (int i = 0; i < keys.size(); i++) {
            Bundle.Sample s = bundle.samples().get(i);
            Series series = ws.series.get(keys.get(i));
            if (series == null) {
                series = new Series(s.name(), bundle.agentName(), labels(bundle, s));
                ws.series.put(keys.get(i), series);
                ws.agents.merge(bundle.agentName(), 1, Integer::sum);
                families.computeIfAbsent(s.name(), n -> new Family(s.counter())).count++;
                seriesCount++;
            }
            series.value = s.value();
            series.lastPush = now;
        }
        metrics.applied(WorkspaceMetrics.APPLIED, bundle.samples().size());
    }

    private void delete(String workspaceId) {
        Workspace ws = workspaces.remove(workspaceId);
        if (ws != null) {
            for (Series s : ws.series.values()) {
                forget(s);
            }
        }
    }

    void sweep(long now) {
        long expiry = settings.expiry().toNanos();
        for (Iterator<Workspace> wi = workspaces.values().iterator(); wi.hasNext(); ) {
            Workspace ws = wi.next();
            if (now - ws.oldestPush < expiry) {
                continue; // nothing in it can have expired yet
            }
            long oldest = Long.MAX_VALUE;
            for (Iterator<Series> si = ws.series.values().iterator(); si.hasNext(); ) {
                Series s = si.next();
                if (now - s.lastPush >= expiry) {
                    si.remove();
                    ws.agents.computeIfPresent(s.agentName, (k, n) -> n == 1 ? null : n - 1);
                    forget(s);
                } else {
                    oldest = Math.min(oldest, s.lastPush);
                }
            }
            if (ws.series.isEmpty()) {
                wi.remove();
            } else {
                ws.oldestPush = oldest;
            }
        }
    }

    private void forget(Series s) {
        seriesCount--;
        Family f = families.get(s.name);
        if (f != null && --f.count == 0) {
            families.remove(s.name);
        }
    }

    /** The agents of {@code ws} with a series not yet expired (expired ones wait for the sweep, but are not shown). */
    private static int liveAgents(Workspace ws, long now, long expiry) {
        Set<String> live = new HashSet<>();
        for (Series s : ws.series.values()) {
            if (now - s.lastPush < expiry) {
                live.add(s.agentName);
            }
        }
        return live.size();
    }

    /** Builds the scrape's view on the owner thread: unexpired series by family, then the six aggregator families. */
    MetricSnapshots snapshot() {
        long start = clock.nanoTime();
        long expiry = settings.expiry().toNanos();
        Map<String, List<Series>> byName = new HashMap<>();
        int count = 0;
        int agents = 0;
        for (Workspace ws : workspaces.values()) {
            int live = 0;
            for (Series s : ws.series.values()) {
                if (start - s.lastPush < expiry) {
                    byName.computeIfAbsent(s.name, n -> new ArrayList<>()).add(s);
                    live++;
                }
            }
            count += live;
            agents += live == ws.series.size() ? ws.agents.size() : liveAgents(ws, start, expiry);
        }
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        for (Map.Entry<String, List<Series>> e : byName.entrySet()) {
            String name = WorkspaceMetrics.PREFIX + e.getKey();
            if (families.get(e.getKey()).counter) {
                CounterSnapshot.Builder c = CounterSnapshot.builder().name(name).help(WorkspaceMetrics.HELP);
                for (Series s : e.getValue()) {
                    c.dataPoint(CounterDataPointSnapshot.builder().value(s.value).labels(s.labels).build());
                }
                out.metricSnapshot(c.build());
            } else {
                GaugeSnapshot.Builder g = GaugeSnapshot.builder().name(name).help(WorkspaceMetrics.HELP);
                for (Series s : e.getValue()) {
                    g.dataPoint(GaugeDataPointSnapshot.builder().value(s.value).labels(s.labels).build());
                }
                out.metricSnapshot(g.build());
            }
        }
        long took = clock.nanoTime() - start;
        collectCount++;
        collectNanosSum += took;
        for (MetricSnapshot m : metrics.aggregatorSnapshots(bundles.size(), collectBacklog.get(), collectCount, collectNanosSum,
                count, deletions.size(), agents)) {
            out.metricSnapshot(m);
        }
        MetricSnapshots built = out.build();
        last = built;
        return built;
    }

    private static String key(Bundle b, Bundle.Sample s) {
        StringBuilder k = new StringBuilder(64).append(b.agentName()).append('\0').append(b.userId()).append('\0').append(s.name());
        for (int i = 0; i < s.labelNames().length; i++) {
            k.append('\0').append(s.labelNames()[i]).append('\0').append(s.labelValues()[i]);
        }
        return k.toString();
    }

    private static Labels labels(Bundle b, Bundle.Sample s) {
        int n = s.labelNames().length;
        String[] names = new String[n + 3];
        String[] values = new String[n + 3];
        System.arraycopy(s.labelNames(), 0, names, 0, n);
        System.arraycopy(s.labelValues(), 0, values, 0, n);
        names[n] = "agent_name";
        values[n] = b.agentName();
        names[n + 1] = "user_id";
        values[n + 1] = b.userId();
        names[n + 2] = "workspace_id";
        values[n + 2] = b.workspaceId();
        return Labels.of(names, values);
    }

    private static final class Workspace {
        final Map<String, Series> series = new HashMap<>();
        final Map<String, Integer> agents = new HashMap<>();
        long oldestPush;

        Workspace(long now) {
            this.oldestPush = now;
        }
    }

    private static final class Series {
        final String name;
        final String agentName;
        final Labels labels;
        double value;
        long lastPush;

        Series(String name, String agentName, Labels labels) {
            this.name = name;
            this.agentName = agentName;
            this.labels = labels;
        }
    }

    private static final class Family {
        final boolean counter;
        int count;

        Family(boolean counter) {
            this.counter = counter;
        }
    }
}

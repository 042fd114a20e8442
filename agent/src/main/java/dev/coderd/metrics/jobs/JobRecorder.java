package dev.coderd.metrics.jobs;

import dev.coderd.metrics.config.AgentConfig;
import dev.coderd.metrics.config.Rule;
import dev.coderd.metrics.context.Clock;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.JobMetrics;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Pattern;

/**
 * Turns executor events into the background-job families ({@code coderd_backgroundjob_*},
 * {@code coderd_background_workspace_build_duration_s}): the one place where a task handed to an executor
 * becomes data points. Fed by the executor instrumentation ({@code instrumentation/executor/}).
 *
 * <pre>
 * int token = jobs.submit(pool, task);        // before the executor sees the task
 * jobs.submitted(task, token, null);          // execute returned: enqueued +1 (so current +1)
 * jobs.beforeExecute(task);                   // a worker starts it: started +1 (so current -1), enqueue time
 * jobs.afterExecute(task, null);              // completed +1, execution time (and a workspace build's duration)
 * </pre>
 *
 * <p>A job is <i>enqueued</i> when the executor accepted it and it is due: at once for a plain task, when its
 * delay has elapsed for a delayed or periodic run (each run of a periodic task is one job). A run that became
 * due counts at its start, when it leaves the queue, or at the next scrape ({@link #promoteDue}), whichever
 * comes first, so the current-enqueued gauge holds exactly the accepted, due, not started jobs. Its enqueue
 * time runs from when it was submitted or became due to when it started. Rejected tasks were never enqueued;
 * cancelled, removed and drained ones leave the gauge at once; a job that throws still completes.
 *
 * <p>Allocation budget on the hot path: none. The pending state lives in {@link PendingJobs} (preallocated
 * arrays), data points are resolved once per type ({@link JobSeries}), types once per class ({@link JobTypes}),
 * a running job travels as one {@code long} ({@code type index << 48 | start time}); only a pool worker keeps
 * a per-thread frame, made once per thread. No locks, but once per type when its series is made.
 */
public final class JobRecorder {
    private static final int INDEX_SHIFT = 48;
    private static final long TIME_MASK = (1L << INDEX_SHIFT) - 1;
    /** Types fit in the 15 bits above a job handle's time; the series limit caps them first. */
    private static final int MAX_TYPES = (1 << 15) - 1;
    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(JobRecorder.class, "pending", PendingJobs.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final JobMetrics metrics;
    private final Clock clock;
    private final long epoch;
    private final int maxQueued;
    private final List<Pattern> workspaceBuilds;
    private final int typeLimit;
    private final ConcurrentHashMap<String, JobSeries> byName = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<JobSeries> byIndex;
    private final JobTypes types;
    private final ThreadLocal<Frame> frames = ThreadLocal.withInitial(Frame::new);
    /** Allocated on the first job: a JVM that hands nothing to executors pays nothing. */
    private volatile PendingJobs pending;
    private volatile JobSeries overflow;

    /** The job a pool worker is running: the worker's hooks are two separate methods. */
    private static final class Frame {
        Object task;
        long job;
        Object outcome;
    }

    /**
     * @param ignored     class-name prefixes that are never jobs ({@code jobs.ignore})
     * @param agentLoader the agent's own loader, whose classes are never jobs (null in tests)
     */
    public JobRecorder(JobMetrics metrics, List<Rule> typeRules, List<String> ignored, List<String> workspaceBuildPatterns,
                       int seriesLimit, int maxQueued, ClassLoader agentLoader, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
        this.epoch = clock.nanoTime();
        this.maxQueued = maxQueued;
        this.workspaceBuilds = workspaceBuildPatterns.stream()
                .map(p -> Pattern.compile(Pattern.quote(p).replace("*", "\\E.*\\Q"), Pattern.CASE_INSENSITIVE))
                .toList();
        this.typeLimit = Math.min(seriesLimit, MAX_TYPES - 1);
        this.byIndex = new AtomicReferenceArray<>(typeLimit + 2);
        this.types = new JobTypes(typeRules, ignored, agentLoader, this::series);
    }

    /** The recorder the agent runs with: {@link JobKeys} from the configuration, scans before each scrape. */
    public static JobRecorder create(AgentRegistry registry, AgentConfig config, Clock clock) {
        JobRecorder recorder = new JobRecorder(new JobMetrics(registry), config.get(JobKeys.TYPES), config.get(JobKeys.IGNORE),
                config.get(JobKeys.WORKSPACE_BUILDS), config.seriesLimit(), config.get(JobKeys.MAX_QUEUED),
                JobRecorder.class.getClassLoader(), clock);
        registry.beforeScrape(recorder::promoteDue);
        return recorder;
    }

    // --- hand-over --------------------------------------------------------------------------------------

    /** A task is being handed to {@code executor}; returns a token for {@link #submitted}, 0 when it is no job. */
    public int submit(Object executor, Object task) {
        JobSeries job = jobOf(executor, task);
        return job == null ? 0 : track(task, job, clock.nanoTime(), PendingJobs.SUBMITTING);
    }

    /** A delayed or periodic run of {@code task} (a {@link Delayed}) is being queued; as {@link #submit}. */
    public int schedule(Object executor, Object task) {
        JobSeries job = jobOf(executor, task);
        if (job == null) {
            return 0;
        }
        long now = clock.nanoTime();
        long delay = task instanceof Delayed ? ((Delayed) task).getDelay(TimeUnit.NANOSECONDS) : 0;
        return delay <= 0 ? track(task, job, now, PendingJobs.SUBMITTING)
                : track(task, job, now + delay, PendingJobs.DELAYED);
    }

    /** The hand-over returned; {@code thrown}: it failed (rejected by an exception, or the executor was shut down). */
    public void submitted(Object task, int token, Throwable thrown) {
        PendingJobs p = pending;
        if (p == null || token == 0) {
            return;
        }
        if (thrown != null) {
            p.cancelSubmit(token);
            return;
        }
        int type = p.promote(token, clock);
        if (type > 0) {
            enqueued(series(type));
        }
    }

    // --- leaving the queue unrun ------------------------------------------------------------------------

    /** The executor is rejecting a task it was handed (its handler may discard it, run it in the caller, throw). */
    public void rejected(Object task) {
        PendingJobs p = pending;
        if (p != null) {
            long claimed = p.claim(task, PendingJobs.NOT_ACCEPTED);
            if (claimed >= 0) {
                p.release(PendingJobs.slotOf(claimed));
            }
        }
    }

    /** A queued task left the queue without running: cancelled, removed, discarded, drained. */
    public void removed(Object task) {
        PendingJobs p = pending;
        if (p != null) {
            left(p, p.claim(task, PendingJobs.ANY));
        }
    }

    /**
     * A {@code Future} was cancelled; {@code inner} is the task it held before the cancellation cleared it. A
     * virtual-thread executor's future is pending under that task, any other under itself.
     */
    public void cancelled(Object future, Object inner) {
        PendingJobs p = pending;
        if (p != null) {
            left(p, p.claim(inner != null && types.keyedByInner(future) ? inner : future, PendingJobs.ANY));
        }
    }

    private void left(PendingJobs p, long claimed) {
        if (claimed < 0) {
            return; // not pending: started already, never a job, or not followed
        }
        int slot = PendingJobs.slotOf(claimed);
        JobSeries job = series(p.type(slot));
        long due = p.dueAt(slot);
        p.release(slot);
        switch (PendingJobs.stateOf(claimed)) {
            case PendingJobs.QUEUED -> job.left.increment();
            case PendingJobs.DELAYED -> {
                if (due - clock.nanoTime() <= 0) {
                    job.enqueued.inc(); // it was due, so enqueued, before it left
                    job.left.increment();
                }
            }
            default -> { } // its hand-over had not returned: it never was enqueued
        }
    }

    public void removedAll(Collection<?> tasks) {
        for (Object task : tasks) {
            if (task != null) {
                removed(task);
            }
        }
    }

    // --- running ----------------------------------------------------------------------------------------

    /** A pool worker is about to run {@code task}; pairs with {@link #afterExecute} on the same thread. */
    public void beforeExecute(Object task) {
        long job = start(task);
        if (job != 0) {
            Frame frame = frames.get();
            frame.task = task;
            frame.job = job;
            frame.outcome = outcome(task, job);
        }
    }

    /** The pool worker finished {@code task}: completes the job {@link #beforeExecute} started, once. */
    public void afterExecute(Object task, Throwable thrown) {
        Frame frame = frames.get();
        if (frame.job != 0 && frame.task == task) {
            long job = frame.job;
            Object outcome = frame.outcome;
            frame.task = null;
            frame.job = 0;
            frame.outcome = null;
            complete(job, outcome, thrown);
        }
    }

    /**
     * {@code task} starts on this thread. Returns the job's handle for {@link #complete}, or 0 when it is not a
     * job this recorder followed from its hand-over (not a job, or cancelled, or already started).
     */
    public long start(Object task) {
        PendingJobs p = pending;
        if (p == null || task == null) {
            return 0;
        }
        Object handedOver = types.pendingKey(task);
        if (handedOver == null) {
            return 0; // no job: not worth a probe of the table (virtual-thread scheduling passes here)
        }
        long claimed = p.claim(handedOver, PendingJobs.ANY);
        if (claimed < 0) {
            return 0;
        }
        long now = clock.nanoTime();
        int slot = PendingJobs.slotOf(claimed);
        JobSeries job = series(p.type(slot));
        long due = p.dueAt(slot);
        p.release(slot);
        if (PendingJobs.stateOf(claimed) != PendingJobs.QUEUED) {
            job.enqueued.inc(); // started before its hand-over returned, or when due before any scrape saw it
        }
        job.started.inc();
        job.enqueueTime.observe(Math.max(0, now - due) / 1e9);
        return ((long) job.index << INDEX_SHIFT) | ((now - epoch) & TIME_MASK);
    }

    /** What will tell whether the job failed, for workspace builds only (nobody else needs to know). */
    public Object outcome(Object task, long job) {
        return job != 0 && series((int) (job >>> INDEX_SHIFT)).workspaceBuild ? types.outcomeOf(task) : null;
    }

    /** The job {@link #start} returned finished on this thread; {@code thrown} is what its run threw, if anything. */
    public void complete(long job, Object outcome, Throwable thrown) {
        if (job == 0) {
            return;
        }
        JobSeries series = series((int) (job >>> INDEX_SHIFT));
        double seconds = (((clock.nanoTime() - epoch) - job) & TIME_MASK) / 1e9;
        series.completed.inc();
        series.executionTime.observe(seconds);
        if (series.workspaceBuild) {
            boolean failed = thrown != null || types.failed(outcome);
            (failed ? series.buildFailed : series.buildSucceeded).observe(seconds);
        }
    }

    /**
     * Before every scrape: delayed runs that became due are enqueued jobs now, and each type's current-enqueued
     * gauge is published.
     */
    public void promoteDue() {
        PendingJobs p = pending;
        if (p != null) {
            p.promoteDue(clock.nanoTime(), type -> enqueued(series(type)));
        }
        byName.values().forEach(JobSeries::publishCurrent);
        JobSeries o = overflow;
        if (o != null) {
            o.publishCurrent();
        }
    }

    /**
     * Runs a few jobs through a throwaway recorder and registry, so that the classes of the recording path
     * (and the JDK carriers' field handles) are loaded before the application's first job rather than inside it.
     */
    public static void warmUp() {
        JobRecorder scratch = new JobRecorder(new JobMetrics(new AgentRegistry(10)), List.of(), List.of(), List.of("*"),
                10, PendingJobs.WINDOW, null, Clock.SYSTEM);
        Runnable task = new WarmUpTask();
        Object[] tasks = {task, new FutureTask<>(task, null)};
        for (Object t : tasks) {
            scratch.submitted(t, scratch.submit(null, t), null);
            scratch.beforeExecute(t);
            scratch.afterExecute(t, null);
            scratch.complete(scratch.start(t), null, null);
        }
        FutureTask<?> cancelled = new FutureTask<>(task, null);
        scratch.submitted(cancelled, scratch.schedule(null, cancelled), null);
        scratch.cancelled(cancelled, task);
        scratch.promoteDue();
        scratch.frames.remove();
    }

    private static final class WarmUpTask implements Runnable {
        @Override
        public void run() {
            // nothing: only the recording around it matters
        }
    }

    // --- internals --------------------------------------------------------------------------------------

    private JobSeries jobOf(Object executor, Object task) {
        if (types.ignoredExecutor(executor)) {
            return null;
        }
        return types.jobOf(task);
    }

    private int track(Object task, JobSeries job, long due, int state) {
        PendingJobs p = pending();
        int token = p.insert(task, job.index, due, state);
        if (token == 0) {
            metrics.untracked.inc();
        }
        return token;
    }

    private static void enqueued(JobSeries job) {
        job.enqueued.inc();
    }

    private PendingJobs pending() {
        PendingJobs p = pending;
        if (p == null) {
            PENDING.compareAndSet(this, null, new PendingJobs(maxQueued));
            p = pending;
        }
        return p;
    }

    private JobSeries series(int index) {
        JobSeries s = byIndex.get(index);
        return s != null ? s : overflow();
    }

    /** The series of a type name, made on first use; past the type limit every new type shares one. */
    JobSeries series(String type) {
        JobSeries s = byName.get(type);
        if (s != null) {
            return s;
        }
        synchronized (byName) { // once per type, never on the hot path
            s = byName.get(type);
            if (s == null) {
                if (byName.size() >= typeLimit) {
                    return overflow();
                }
                s = new JobSeries(byName.size() + 1, type, isWorkspaceBuild(type), metrics);
                byIndex.set(s.index, s);
                byName.put(type, s);
            }
            return s;
        }
    }

    private JobSeries overflow() {
        JobSeries o = overflow;
        if (o == null) {
            synchronized (byName) {
                o = overflow;
                if (o == null) {
                    // the families are at their limit too, so these points are their OTHER series
                    o = new JobSeries(typeLimit + 1, "OTHER", false, metrics);
                    byIndex.set(o.index, o);
                    overflow = o;
                }
            }
        }
        return o;
    }

    private boolean isWorkspaceBuild(String type) {
        for (Pattern p : workspaceBuilds) {
            if (p.matcher(type).matches()) {
                return true;
            }
        }
        return false;
    }
}

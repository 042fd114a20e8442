package dev.coderd.metrics.jobs;

import dev.coderd.metrics.config.Rule;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which job a task is, decided once per class: the application's task behind the JDK's own carriers, whether
 * it is a job at all, and its {@code type}.
 *
 * <pre>
 * JobSeries job = types.jobOf(new FutureTask&lt;&gt;(new WorkspaceBuildJob(), null)); // type "WorkspaceBuildJob"
 * types.jobOf(() -&gt; reap());            // a lambda written in LifecycleExecutor: type "LifecycleExecutor"
 * types.jobOf(tomcatBackgroundTask);     // null: org.apache.catalina. is ignored
 * </pre>
 *
 * <p><b>Carriers.</b> {@code FutureTask} (and the executors' own subclasses), {@code Executors.callable}'s
 * adapter, {@code ForkJoinTask}'s adapters, {@code CompletableFuture}'s async stages and the
 * virtual-thread executor's runners hold the application's task in a private field ({@code callable},
 * {@code task}, {@code runnable}, {@code fn}); the task is read through them, up to four deep. Reading them
 * needs {@code java.util.concurrent} opened to the agent's module, which the executor instrumentation does.
 *
 * <p><b>Not jobs</b>: classes of the JDK (bootstrap and platform loaders), of the agent itself, and classes whose
 * name starts with an ignored prefix ({@code jobs.ignore}: containers, servers, pools), for the task and for an
 * executor subclass alike.
 *
 * <p><b>Type</b>: the first {@code jobs.types} rule whose pattern matches the class name, else the class's simple
 * name; a lambda, method reference, anonymous or generated ({@code $$}) class is named by the class that
 * defines it, never by its generated name.
 */
final class JobTypes {
    /** Field names under which the JDK's carriers keep the task they run. */
    private static final Set<String> CARRIER_FIELDS = Set.of("callable", "task", "runnable", "fn");
    private static final int MAX_DEPTH = 4;
    private static final int FUTURE_TASK_EXCEPTIONAL = 3; // FutureTask.state: NEW 0, COMPLETING 1, NORMAL 2, EXCEPTIONAL 3

    /** How to see through one class, and the job it is when nothing is behind it. */
    static final class TaskClass {
        final VarHandle[] inner;
        /** The virtual-thread executor's runners: the task was handed over, so that is what is pending. */
        final boolean keyedByInner;
        /** A {@code CompletableFuture} stage's future, which records whether the stage threw. */
        final VarHandle dep;
        /** This class as the application's task: its series, or null when it is no job. */
        final JobSeries job;

        TaskClass(VarHandle[] inner, boolean keyedByInner, VarHandle dep, JobSeries job) {
            this.inner = inner;
            this.keyedByInner = keyedByInner;
            this.dep = dep;
            this.job = job;
        }

        Object unwrap(Object task) {
            for (VarHandle field : inner) {
                Object value = field.get(task);
                if (value != null) {
                    return value;
                }
            }
            return null;
        }
    }

    private final List<Rule> rules;
    private final List<Pattern> patterns = new ArrayList<>();
    private final List<String> ignored;
    private final ClassLoader agentLoader;
    private final Function<String, JobSeries> seriesOf;
    private final ClassValue<TaskClass> classes = new ClassValue<>() {
        @Override
        protected TaskClass computeValue(Class<?> type) {
            return describe(type);
        }
    };
    private final ClassValue<Boolean> ignoredExecutors = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return type.getClassLoader() != null && isIgnored(stripGenerated(type.getName()));
        }
    };
    private volatile VarHandle futureTaskState;
    private volatile boolean futureTaskStateTried;

    /**
     * @param agentLoader the agent's own class loader, whose classes are never jobs (null: none, in tests)
     * @param seriesOf    the series of a type name, created on first use
     */
    JobTypes(List<Rule> rules, List<String> ignoredPrefixes, ClassLoader agentLoader, Function<String, JobSeries> seriesOf) {
        this.rules = List.copyOf(rules);
        for (Rule rule : rules) {
            patterns.add(rule.glob());
        }
        this.ignored = List.copyOf(ignoredPrefixes);
        this.agentLoader = agentLoader;
        this.seriesOf = seriesOf;
    }

    /** The job {@code task} is, or null when it is none. */
    JobSeries jobOf(Object task) {
        return jobOf(task, classes.get(task.getClass()));
    }

    private JobSeries jobOf(Object task, TaskClass described) {
        Object t = task;
        for (int depth = 0; ; ) {
            Object inner = described.inner.length == 0 ? null : described.unwrap(t);
            if (inner == null) {
                return described.job;
            }
            if (++depth == MAX_DEPTH) {
                return null;
            }
            t = inner;
            described = classes.get(t.getClass());
        }
    }

    /**
     * What a task that starts running was handed over as, if it is a job: the task itself, or for the
     * virtual-thread executor's runners the task they were given. Null when it is no job (one class lookup for
     * the application's own classes and for the JDK's scheduling tasks alike).
     */
    Object pendingKey(Object task) {
        TaskClass described = classes.get(task.getClass());
        if (described.keyedByInner) {
            Object inner = described.unwrap(task);
            return inner != null && jobOf(inner) != null ? inner : null;
        }
        return jobOf(task, described) != null ? task : null;
    }

    /** True for the virtual-thread executor's runners, which are pending under the task they were handed. */
    boolean keyedByInner(Object task) {
        return classes.get(task.getClass()).keyedByInner;
    }

    /** True for an executor subclass of an ignored library (a container's pool built on the JDK's). */
    boolean ignoredExecutor(Object executor) {
        return executor != null && ignoredExecutors.get(executor.getClass());
    }

    /**
     * What records whether {@code task} failed once it ran: a {@code CompletableFuture} stage's future, the
     * task itself when it is a {@code Future}, or null (then only a throw from its run counts).
     */
    Object outcomeOf(Object task) {
        Object t = task;
        for (int depth = 0; depth < MAX_DEPTH && t != null; depth++) {
            TaskClass described = classes.get(t.getClass());
            if (described.dep != null) {
                return described.dep.get(t);
            }
            if (t instanceof Future) {
                return t;
            }
            t = described.keyedByInner ? described.unwrap(t) : null;
        }
        return null;
    }

    /** True when the run recorded by {@code outcome} ended with an exception (a cancellation is not a failure). */
    boolean failed(Object outcome) {
        if (outcome instanceof CompletableFuture) {
            CompletableFuture<?> future = (CompletableFuture<?>) outcome;
            return future.isCompletedExceptionally() && !future.isCancelled();
        }
        if (outcome instanceof ForkJoinTask) {
            ForkJoinTask<?> task = (ForkJoinTask<?>) outcome;
            return task.isCompletedAbnormally() && !task.isCancelled();
        }
        if (outcome instanceof FutureTask) {
            VarHandle state = futureTaskState();
            if (state != null) {
                return (int) state.getVolatile(outcome) == FUTURE_TASK_EXCEPTIONAL;
            }
            FutureTask<?> future = (FutureTask<?>) outcome;
            if (!future.isDone() || future.isCancelled()) {
                return false;
            }
            try {
                future.get(); // done: returns at once; only a failed one allocates, for its exception
                return false;
            } catch (Exception e) {
                return true;
            }
        }
        return false;
    }

    private VarHandle futureTaskState() {
        if (!futureTaskStateTried) {
            try {
                futureTaskState = MethodHandles.privateLookupIn(FutureTask.class, MethodHandles.lookup())
                        .findVarHandle(FutureTask.class, "state", int.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                futureTaskState = null; // package not opened: the public fallback answers
            }
            futureTaskStateTried = true;
        }
        return futureTaskState;
    }

    private TaskClass describe(Class<?> type) {
        List<VarHandle> inner = new ArrayList<>();
        VarHandle dep = null;
        if (type.getClassLoader() == null && type.getName().startsWith("java.util.concurrent.")) {
            for (Class<?> c = type; c != null && c.getName().startsWith("java.util.concurrent."); c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                        continue;
                    }
                    if (CARRIER_FIELDS.contains(field.getName())) {
                        VarHandle handle = handle(c, field);
                        if (handle != null) {
                            inner.add(handle);
                        }
                    } else if (field.getName().equals("dep") && field.getType() == CompletableFuture.class && dep == null) {
                        dep = handle(c, field);
                    }
                }
            }
        }
        boolean keyedByInner = type.getName().startsWith("java.util.concurrent.ThreadPerTaskExecutor$");
        return new TaskClass(inner.toArray(new VarHandle[0]), keyedByInner, dep, jobFor(type));
    }

    private static VarHandle handle(Class<?> owner, Field field) {
        try {
            return MethodHandles.privateLookupIn(owner, MethodHandles.lookup())
                    .unreflectVarHandle(field);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // java.util.concurrent not opened to the agent: the carrier is named as itself
        }
    }

    private JobSeries jobFor(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        if (loader == null || loader == ClassLoader.getPlatformClassLoader() || (agentLoader != null && loader == agentLoader)) {
            return null;
        }
        String name = stripGenerated(type.getName());
        if (isIgnored(name)) {
            return null;
        }
        return seriesOf.apply(typeName(name));
    }

    private boolean isIgnored(String className) {
        for (String prefix : ignored) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The first matching rule's type, else the simple name. */
    String typeName(String className) {
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).matcher(className).matches()) {
                return rules.get(i).value();
            }
        }
        return simpleName(className);
    }

    /** {@code a.b.Outer$$Lambda/0x…}, {@code a.b.Outer$$SpringCGLIB$$0}: the class that defines it, {@code a.b.Outer}. */
    static String stripGenerated(String className) {
        int cut = className.indexOf("$$");
        return cut > 0 ? className.substring(0, cut) : className;
    }

    /**
     * The simple name of a binary class name: {@code a.b.Outer$Inner} is {@code Inner}; an anonymous class
     * {@code Outer$1} is named by its enclosing {@code Outer}; a local class {@code Outer$1Local} is {@code Local}.
     */
    static String simpleName(String className) {
        String name = className.substring(className.lastIndexOf('.') + 1);
        String[] parts = name.split("\\$");
        for (int i = parts.length - 1; i >= 0; i--) {
            String part = parts[i];
            int digits = 0;
            while (digits < part.length() && Character.isDigit(part.charAt(digits))) {
                digits++;
            }
            if (digits < part.length()) {
                return part.substring(digits);
            }
        }
        return name;
    }
}

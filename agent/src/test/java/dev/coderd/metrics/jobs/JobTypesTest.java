package dev.coderd.metrics.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.config.Rule;
import dev.coderd.metrics.metrics.AgentRegistry;
import dev.coderd.metrics.metrics.JobMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JobTypesTest {
    static final class WorkspaceReaper implements Runnable {
        @Override
        public void run() {}
    }

    static final class Rebuild implements Callable<String> {
        @Override
        public String call() {
            return "ok";
        }
    }

    static final class IgnoredTask implements Runnable {
        @Override
        public void run() {}
    }

    static final class IgnoredPool extends ThreadPoolExecutor {
        IgnoredPool() {
            super(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        }
    }

    private final JobRecorder recorder = new JobRecorder(new JobMetrics(new AgentRegistry(2000)),
            List.of(new Rule("*Rebuild", "workspace_build")),
            List.of("dev.coderd.metrics.jobs.JobTypesTest$Ignored"), List.of(), 2000, 64, null, () -> 0);
    private final JobTypes types = new JobTypes(List.of(new Rule("*Rebuild", "workspace_build")),
            List.of("dev.coderd.metrics.jobs.JobTypesTest$Ignored"), null, recorder::series);

    private String type(Object task) {
        JobSeries job = types.jobOf(task);
        return job == null ? null : job.type;
    }

    @Test
    void aClassIsNamedBySimpleNameAndAGeneratedOneByTheClassThatDefinesIt() {
        assertThat(type(new WorkspaceReaper())).isEqualTo("WorkspaceReaper");
        Runnable lambda = () -> { };
        Runnable reference = this::toString;
        Runnable anonymous = new Runnable() {
            @Override
            public void run() {}
        };
        assertThat(type(lambda)).isEqualTo("JobTypesTest");
        assertThat(type(reference)).isEqualTo("JobTypesTest");
        assertThat(type(anonymous)).isEqualTo("JobTypesTest");
        assertThat(JobTypes.simpleName("a.b.Outer$Inner")).isEqualTo("Inner");
        assertThat(JobTypes.simpleName("a.b.Outer$1")).isEqualTo("Outer");
        assertThat(JobTypes.simpleName("a.b.Outer$1Local")).isEqualTo("Local");
        assertThat(JobTypes.simpleName("Top")).isEqualTo("Top");
        assertThat(JobTypes.stripGenerated("a.b.LifecycleExecutor$$Lambda/0x0000000801001234")).isEqualTo("a.b.LifecycleExecutor");
        assertThat(JobTypes.stripGenerated("a.b.LifecycleExecutor$$Lambda$14/0x0000000800c01234")).isEqualTo("a.b.LifecycleExecutor");
        assertThat(JobTypes.stripGenerated("a.b.Service$$SpringCGLIB$$0")).isEqualTo("a.b.Service");
    }

    @Test
    void aRuleNamesTheTypeBeforeTheSimpleName() {
        assertThat(type(new Rebuild())).isEqualTo("workspace_build");
    }

    @Test
    void theApplicationsTaskIsReadThroughTheJdksCarriers() throws Exception {
        assertThat(type(new FutureTask<>(new WorkspaceReaper(), null))).isEqualTo("WorkspaceReaper");
        assertThat(type(new FutureTask<>(Executors.callable(new WorkspaceReaper())))).isEqualTo("WorkspaceReaper");
        assertThat(type(new FutureTask<>(new Rebuild()))).isEqualTo("workspace_build");
        assertThat(type(ForkJoinTask.adapt(new WorkspaceReaper()))).isEqualTo("WorkspaceReaper");
        assertThat(type(ForkJoinTask.adapt(new Rebuild()))).isEqualTo("workspace_build");

        List<Runnable> handed = new ArrayList<>();
        CompletableFuture<String> supplied = CompletableFuture.supplyAsync(() -> "x", handed::add);
        CompletableFuture.completedFuture("x").thenApplyAsync(String::length, handed::add);
        CompletableFuture.runAsync(new WorkspaceReaper(), handed::add);
        assertThat(handed).hasSize(3);
        assertThat(type(handed.get(0))).isEqualTo("JobTypesTest");    // the supplier lambda
        assertThat(type(handed.get(1))).isEqualTo("JobTypesTest");    // String::length, written here
        assertThat(type(handed.get(2))).isEqualTo("WorkspaceReaper");
        assertThat(types.outcomeOf(handed.get(0))).isSameAs(supplied); // the stage's future tells whether it failed
    }

    @Test
    void theJdksIgnoredPackagesAndTheAgentsOwnClassesAreNoJobs() {
        assertThat(type(new IgnoredTask())).isNull();
        assertThat(type(new Thread())).isNull();                      // a JDK class
        assertThat(type(new FutureTask<>(Executors.callable(new Thread())))).isNull();
        assertThat(types.ignoredExecutor(new IgnoredPool())).isTrue();
        assertThat(types.ignoredExecutor(Executors.newSingleThreadExecutor())).isFalse();
        JobTypes agentOwn = new JobTypes(List.of(), List.of(), JobTypesTest.class.getClassLoader(), recorder::series);
        assertThat(agentOwn.jobOf(new WorkspaceReaper())).isNull();
    }

    @Test
    void aFailureIsReadFromTheFutureThatRecordedIt() {
        FutureTask<String> ok = new FutureTask<>(() -> "ok");
        FutureTask<String> broken = new FutureTask<>(() -> {
            throw new IllegalStateException("build failed");
        });
        ok.run();
        broken.run();
        FutureTask<String> cancelled = new FutureTask<>(() -> "never");
        cancelled.cancel(false);
        assertThat(types.failed(types.outcomeOf(ok))).isFalse();
        assertThat(types.failed(types.outcomeOf(broken))).isTrue();
        assertThat(types.failed(types.outcomeOf(cancelled))).isFalse();
        assertThat(types.failed(CompletableFuture.failedFuture(new IllegalStateException()))).isTrue();
        assertThat(types.failed(CompletableFuture.completedFuture("ok"))).isFalse();
        assertThat(types.failed(null)).isFalse();
    }
}

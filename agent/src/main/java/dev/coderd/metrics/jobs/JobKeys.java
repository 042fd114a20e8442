package dev.coderd.metrics.jobs;

import dev.coderd.metrics.config.ConfigKey;
import dev.coderd.metrics.config.Rule;
import java.util.List;

/** The configuration keys of the job recorder, whichever executor instrumentation feeds it. */
public final class JobKeys {
    /** Containers, servers, pools and the JDK: their tasks are the host's plumbing, not its background jobs. */
    static final String DEFAULT_IGNORE = "org.apache.tomcat.,org.apache.catalina.,org.apache.coyote.,"
            + "org.eclipse.jetty.,io.undertow.,org.xnio.,org.jboss.threads.,sun.net.httpserver.,com.zaxxer.hikari.,org.apache.commons.pool2.,org.apache.commons.dbcp2.,"
            + "org.springframework.web.,java.,jdk.,sun.,com.sun.";

    public static final ConfigKey<List<Rule>> TYPES = ConfigKey.rules("jobs.types", "",
            "Job types by task class: `pattern=type` rules matched against the task's class name (a lambda's: the "
                    + "class that defines it), `*` matching any text, first match wins; otherwise the class's "
                    + "simple name.");
    public static final ConfigKey<List<String>> IGNORE = ConfigKey.list("jobs.ignore", DEFAULT_IGNORE,
            "Class-name prefixes of tasks and executors that are never jobs (containers, servers, pools). "
                    + "JDK-internal tasks and the agent's own threads are never jobs whatever this says.");
    public static final ConfigKey<List<String>> WORKSPACE_BUILDS = ConfigKey.list("jobs.workspace-builds",
            "*WorkspaceBuild*,*workspace_build*",
            "Job types (patterns, `*` any text, any case) also observed in "
                    + "`coderd_background_workspace_build_duration_s`.");
    public static final ConfigKey<Integer> MAX_QUEUED = ConfigKey.positiveInt("jobs.max-queued", 16384,
            "Waiting tasks the agent follows at once (up to 131072; about 80 bytes each, allocated with the first "
                    + "job); a task handed over beyond that is not measured and counts in "
                    + "`coderd_metrics_agent_untracked_jobs_total`.");

    public static final List<ConfigKey<?>> ALL = List.of(TYPES, IGNORE, WORKSPACE_BUILDS, MAX_QUEUED);

    private JobKeys() {}
}

package dev.coderd.metrics.bootstrap;

/**
 * What the agent must know about class-data sharing before it does anything: is this JVM training a JDK 24+
 * AOT cache (then the agent stays passive), and did the AOT cache the operator asked for load?
 *
 * <p>Why passive in AOT training: a class changed by a {@code ClassFileLoadHook} during training is left out of
 * the cache ("Skipping sun/net/httpserver/ServerImpl: From ClassFileLoadHook"), while classes linked against
 * it stay in; the next JVM then crashes in {@code AOTLinkedClassBulkLoader} before premain (JDK 25.0.3,
 * reproduced with the JDK HTTP server). A cache trained with the agent present but passive holds the
 * application's classes unchanged; in production the agent retransforms the few it instruments after they
 * are loaded from the cache, and the rest of the cache is used as trained.
 *
 * <p>JDK 17–23 dynamic archives ({@code -XX:ArchiveClassesAtExit}) have no AOT linking: the agent runs
 * normally there (classes it transforms are simply not archived), so a JVM that creates its archive on exit
 * ({@code -XX:+AutoCreateSharedArchive}) still has its metrics.
 */
final class ClassDataArchives {
    private final JdkInternals jdk;

    ClassDataArchives(JdkInternals jdk) {
        this.jdk = jdk;
    }

    /** Non-null when this JVM trains or assembles an AOT cache: why the agent stays passive. */
    String trainingRun() throws ReflectiveOperationException {
        String mode = jdk.vmOption("AOTMode");
        boolean aot = jdk.vmOption("AOTCacheOutput") != null || "record".equals(mode) || "create".equals(mode)
                || jdk.vmFlag("AOTClassLinking");
        if (aot && jdk.dumpingArchive()) {
            return "this JVM trains an AOT cache; the agent stays passive so that the cache holds the application's "
                    + "classes unchanged (run the production JVM with the same -javaagent to get metrics)";
        }
        return null;
    }

    /** Non-null when an AOT cache was asked for ({@code -XX:AOTCache}) and is not in use: what to do about it. */
    String unusedCache() throws ReflectiveOperationException {
        String cache = jdk.vmOption("AOTCache");
        if (cache == null || Runtime.version().feature() < 24 || jdk.usingArchive()) {
            return null;
        }
        return "the AOT cache " + cache + " is not in use (see the JVM's [aot] lines above); a cache used with this "
                + "agent must be trained with the same -javaagent option (the agent stays passive while training)";
    }
}

package dev.coderd.metrics.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.nameContains;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * What the agent never transforms. This replaces Byte Buddy's default ignore rule, so its content is re-added
 * (Byte Buddy, reflection and lambda machinery); then the agent itself, other agents,
 * generated proxies, and the JDK except the two packages the agent instruments on purpose
 * ({@code java.util.concurrent.} for jobs, {@code sun.net.httpserver.} for the JDK HTTP server).
 */
final class IgnoredTypes {
    private IgnoredTypes() {}

    static ElementMatcher.Junction<TypeDescription> types() {
        // Names only: a matcher that needs more than the name (isSynthetic, say) makes Byte Buddy parse every
        // class the JVM loads. Synthetic classes are rare, and the instrumentations' own matchers reject them.
        return nameStartsWith("net.bytebuddy.")
                .or(nameStartsWith("dev.coderd.metrics."))
                .or(nameStartsWith("java.").and(not(nameStartsWith("java.util.concurrent."))))
                .or(nameStartsWith("sun.").and(not(nameStartsWith("sun.net.httpserver."))))
                .or(nameStartsWith("jdk."))
                .or(nameStartsWith("com.sun."))
                // other agents
                .or(nameStartsWith("io.opentelemetry.javaagent."))
                .or(nameStartsWith("co.elastic.apm.agent."))
                .or(nameStartsWith("datadog.trace."))
                .or(nameStartsWith("com.newrelic."))
                .or(nameStartsWith("io.prometheus.jmx."))
                // generated at run time: lambdas, proxies, CGLIB and Groovy call sites
                .or(nameContains("$$Lambda"))
                .or(nameContains("$$EnhancerBy"))
                .or(nameContains("$$FastClassBy"))
                .or(nameContains("$$SpringCGLIB$$"))
                .or(nameStartsWith("org.codehaus.groovy.runtime.callsite."))
                .or(nameStartsWith("groovy.lang.GroovyClassLoader$"));
    }

    /** Loaders whose classes are never ours to touch: the agent's own and reflection's accessor loaders. */
    static ElementMatcher.Junction<ClassLoader> loaders() {
        ClassLoader agent = IgnoredTypes.class.getClassLoader();
        return new ElementMatcher.Junction.AbstractBase<ClassLoader>() {
            @Override
            public boolean matches(ClassLoader loader) {
                if (loader == null) {
                    return false;
                }
                if (loader == agent) {
                    return true;
                }
                String name = loader.getClass().getName();
                return name.equals("jdk.internal.reflect.DelegatingClassLoader")
                        || name.startsWith("groovy.lang.GroovyClassLoader$InnerLoader")
                        || name.equals("org.codehaus.groovy.runtime.callsite.CallSiteClassLoader");
            }
        };
    }
}

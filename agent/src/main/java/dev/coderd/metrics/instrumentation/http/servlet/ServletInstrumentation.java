package dev.coderd.metrics.instrumentation.http.servlet;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.coderd.metrics.config.ConfigKey;
import dev.coderd.metrics.instrumentation.AdviceSupport;
import dev.coderd.metrics.instrumentation.ClassLoaderHas;
import dev.coderd.metrics.instrumentation.InstrumentationModule;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every {@code Servlet.service(ServletRequest, ServletResponse)} and
 * {@code Filter.doFilter(ServletRequest, ServletResponse, FilterChain)}, in both namespaces: {@code jakarta}
 * (Tomcat 10+, Jetty 12 ee10+, Undertow 2.3+) and {@code javax} Servlet 4.0 (Tomcat 9, Jetty 10). The advice
 * measures only the outermost of them; see {@link JakartaServletAdvice}.
 */
public final class ServletInstrumentation implements InstrumentationModule {
    public static final ConfigKey<Boolean> ENABLED = ConfigKey.instrumentationSwitch("servlet",
            "Servlet containers (jakarta and javax).");

    @Override
    public String name() {
        return "servlet";
    }

    @Override
    public ConfigKey<Boolean> switchKey() {
        return ENABLED;
    }

    /** In the descriptor of every {@code service} and {@code doFilter} this matches, in both namespaces. */
    @Override
    public List<String> classFileMarkers() {
        return List.of("servlet/ServletRequest");
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
        AgentBuilder jakarta = namespace(builder, advice, "jakarta.servlet", JakartaServletAdvice.class.getName());
        return namespace(jakarta, advice, "javax.servlet", JavaxServletAdvice.class.getName());
    }

    private AgentBuilder namespace(AgentBuilder builder, AdviceSupport advice, String ns, String adviceClass) {
        // declaresMethod first: it reads only the class's own bytes, while hasSuperType reads its whole
        // hierarchy; advice lands on declared methods only, so a class without them needs nothing.
        return builder
                .type(not(isInterface()).and(declaresMethod(entryPoints(ns)))
                                .and(hasSuperType(namedOneOf(ns + ".Servlet", ns + ".Filter"))),
                        ClassLoaderHas.classes(ns + ".Servlet", ns + ".http.HttpServletMapping"))
                .transform(advice.transformer(name(), a -> a.advice(entryPoints(ns), adviceClass)));
    }

    private static ElementMatcher.Junction<MethodDescription> entryPoints(String ns) {
        ElementMatcher.Junction<MethodDescription> service = named("service").and(takesArguments(2))
                .and(takesArgument(0, named(ns + ".ServletRequest")))
                .and(takesArgument(1, named(ns + ".ServletResponse")));
        ElementMatcher.Junction<MethodDescription> doFilter = named("doFilter").and(takesArguments(3))
                .and(takesArgument(0, named(ns + ".ServletRequest")))
                .and(takesArgument(1, named(ns + ".ServletResponse")))
                .and(takesArgument(2, named(ns + ".FilterChain")));
        return not(isAbstract()).and(service.or(doFilter));
    }
}

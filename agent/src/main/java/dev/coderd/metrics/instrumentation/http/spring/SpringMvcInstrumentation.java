package dev.coderd.metrics.instrumentation.http.spring;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.coderd.metrics.config.ConfigKey;
import dev.coderd.metrics.instrumentation.AdviceSupport;
import dev.coderd.metrics.instrumentation.InstrumentationModule;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Spring MVC's route templates ({@code /api/v2/users/{user}}): {@code DispatcherServlet.getHandler} of Spring 6
 * ({@code jakarta}) and Spring 5 ({@code javax}), and {@code AbstractUrlHandlerMapping.exposePathWithinMapping} for
 * URL-mapped handlers, whose pattern Spring exposes only after {@code getHandler}. The servlet instrumentation does
 * the measuring; this only names the route, which also moves the request's concurrent gauge to the template.
 */
public final class SpringMvcInstrumentation implements InstrumentationModule {
    public static final ConfigKey<Boolean> ENABLED = ConfigKey.instrumentationSwitch("spring-mvc",
            "Spring MVC route templates.");
    private static final String DISPATCHER = "org.springframework.web.servlet.DispatcherServlet";
    private static final String URL_MAPPING = "org.springframework.web.servlet.handler.AbstractUrlHandlerMapping";

    @Override
    public String name() {
        return "spring-mvc";
    }

    @Override
    public ConfigKey<Boolean> switchKey() {
        return ENABLED;
    }

    /** The classes' own names. */
    @Override
    public List<String> classFileMarkers() {
        return List.of("org/springframework/web/servlet/DispatcherServlet",
                "org/springframework/web/servlet/handler/AbstractUrlHandlerMapping");
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
        return builder.type(named(DISPATCHER)).transform(advice.transformer(name(), a -> a
                .advice(named("getHandler").and(takesArguments(1))
                        .and(takesArgument(0, named("jakarta.servlet.http.HttpServletRequest"))),
                        JakartaDispatcherAdvice.class.getName())
                .advice(named("getHandler").and(takesArguments(1))
                        .and(takesArgument(0, named("javax.servlet.http.HttpServletRequest"))),
                        JavaxDispatcherAdvice.class.getName())))
                // URL-mapped handlers (WebSocketHandler registrations among them) expose their pattern later
                .type(named(URL_MAPPING)).transform(advice.transformer(name(), a -> a
                        .advice(not(isAbstract()).and(named("exposePathWithinMapping")).and(takesArguments(3))
                                .and(takesArgument(0, String.class)), UrlPatternAdvice.class.getName())));
    }
}

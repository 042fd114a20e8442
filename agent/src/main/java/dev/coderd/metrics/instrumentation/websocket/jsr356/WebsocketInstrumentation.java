package dev.coderd.metrics.instrumentation.websocket.jsr356;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
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
 * JSR-356 websockets in both namespaces, {@code jakarta.websocket} (Tomcat 10+, Jetty 12, Undertow 2.3) and
 * {@code javax.websocket} (Tomcat 9): every {@code ServerEndpointConfig.Configurator.modifyHandshake} (the API's
 * own base class and every override: the container default, Spring's {@code ServerEndpointRegistration}, an
 * application's configurator), and {@code onOpen(Session, EndpointConfig)} and {@code onClose(Session,
 * CloseReason)} of {@code Endpoint} and every subclass that declares them (Tomcat's {@code PojoEndpointServer}
 * that wraps annotated endpoints, Spring's {@code StandardWebSocketHandlerAdapter}, programmatic endpoints; the
 * base class's own empty {@code onClose}, which many subclasses inherit).
 */
public final class WebsocketInstrumentation implements InstrumentationModule {
    public static final ConfigKey<Boolean> ENABLED = ConfigKey.instrumentationSwitch("websocket",
            "JSR-356 websocket handshakes and sessions (jakarta and javax).");

    @Override
    public String name() {
        return "websocket";
    }

    @Override
    public ConfigKey<Boolean> switchKey() {
        return ENABLED;
    }

    /** In the descriptors of onOpen, onClose and modifyHandshake, in both namespaces. */
    @Override
    public List<String> classFileMarkers() {
        return List.of("websocket/EndpointConfig", "websocket/CloseReason", "websocket/server/HandshakeRequest");
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
        AgentBuilder jakarta = namespace(builder, advice, "jakarta.websocket", JakartaOpenAdvice.class,
                JakartaCloseAdvice.class, JakartaHandshakeAdvice.class);
        return namespace(jakarta, advice, "javax.websocket", JavaxOpenAdvice.class, JavaxCloseAdvice.class,
                JavaxHandshakeAdvice.class);
    }

    private AgentBuilder namespace(AgentBuilder builder, AdviceSupport advice, String ns, Class<?> open, Class<?> close,
                                   Class<?> handshake) {
        // declaresMethod first: it reads only the class's own bytes, hasSuperType its whole hierarchy
        return builder
                .type(not(isInterface()).and(declaresMethod(onOpen(ns).or(onClose(ns))))
                                .and(hasSuperType(named(ns + ".Endpoint"))),
                        ClassLoaderHas.classes(ns + ".Endpoint"))
                .transform(advice.transformer(name(), a -> a
                        .advice(onOpen(ns), open.getName())
                        .advice(onClose(ns), close.getName())))
                .type(not(isInterface()).and(declaresMethod(modifyHandshake(ns)))
                                .and(hasSuperType(named(ns + ".server.ServerEndpointConfig$Configurator"))),
                        ClassLoaderHas.classes(ns + ".server.ServerEndpointConfig"))
                .transform(advice.transformer(name(), a -> a.advice(modifyHandshake(ns), handshake.getName())));
    }

    private static ElementMatcher.Junction<MethodDescription> onOpen(String ns) {
        return not(isAbstract()).and(named("onOpen")).and(takesArguments(2))
                .and(takesArgument(0, named(ns + ".Session")))
                .and(takesArgument(1, named(ns + ".EndpointConfig")));
    }

    private static ElementMatcher.Junction<MethodDescription> onClose(String ns) {
        return not(isAbstract()).and(named("onClose")).and(takesArguments(2))
                .and(takesArgument(0, named(ns + ".Session")))
                .and(takesArgument(1, named(ns + ".CloseReason")));
    }

    private static ElementMatcher.Junction<MethodDescription> modifyHandshake(String ns) {
        return not(isAbstract()).and(named("modifyHandshake")).and(takesArguments(3))
                .and(takesArgument(0, named(ns + ".server.ServerEndpointConfig")))
                .and(takesArgument(1, named(ns + ".server.HandshakeRequest")))
                .and(takesArgument(2, named(ns + ".HandshakeResponse")));
    }
}

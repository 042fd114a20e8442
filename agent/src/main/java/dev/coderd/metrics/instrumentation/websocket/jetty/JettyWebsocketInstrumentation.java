package dev.coderd.metrics.instrumentation.websocket.jetty;

import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.coderd.metrics.config.ConfigKey;
import dev.coderd.metrics.instrumentation.AdviceSupport;
import dev.coderd.metrics.instrumentation.InstrumentationModule;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Jetty 12's jakarta websocket sessions ({@code org.eclipse.jetty.ee10}, and the same class of ee9 and ee11):
 * {@code JakartaWebSocketFrameHandler.onOpen} and {@code onClosed}. Jetty calls annotated endpoints'
 * {@code @OnOpen}/{@code @OnClose} through method handles, with no {@code Endpoint} in between, so the JSR-356
 * instrumentation alone never sees those sessions; programmatic endpoints are seen by both, and count once.
 */
public final class JettyWebsocketInstrumentation implements InstrumentationModule {
    public static final ConfigKey<Boolean> ENABLED = ConfigKey.instrumentationSwitch("jetty-websocket",
            "Jetty 12 websocket sessions, annotated endpoints included.");

    @Override
    public String name() {
        return "jetty-websocket";
    }

    @Override
    public ConfigKey<Boolean> switchKey() {
        return ENABLED;
    }

    /** The end of the class's own name, the same in ee9, ee10 and ee11. */
    @Override
    public List<String> classFileMarkers() {
        return List.of("websocket/jakarta/common/JakartaWebSocketFrameHandler");
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, AdviceSupport advice) {
        return builder
                .type(nameStartsWith("org.eclipse.jetty.ee")
                        .and(nameEndsWith(".websocket.jakarta.common.JakartaWebSocketFrameHandler")))
                .transform(advice.transformer(name(), a -> a
                        .advice(named("onOpen").and(takesArguments(2))
                                        .and(takesArgument(0, named("org.eclipse.jetty.websocket.core.CoreSession"))),
                                JettyOpenAdvice.class.getName())
                        .advice(named("onClosed").and(takesArguments(2))
                                        .and(takesArgument(0, named("org.eclipse.jetty.websocket.core.CloseStatus"))),
                                JettyClosedAdvice.class.getName())));
    }
}

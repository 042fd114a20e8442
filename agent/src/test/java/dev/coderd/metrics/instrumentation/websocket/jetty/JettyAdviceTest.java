package dev.coderd.metrics.instrumentation.websocket.jetty;

import static dev.coderd.metrics.instrumentation.websocket.WebsocketFakes.fake;
import static dev.coderd.metrics.instrumentation.websocket.WebsocketFakes.properties;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.bridge.websocket.WebsocketBridge;
import dev.coderd.metrics.instrumentation.websocket.WebsocketFakes;
import dev.coderd.metrics.instrumentation.websocket.jsr356.JakartaCloseAdvice;
import dev.coderd.metrics.instrumentation.websocket.jsr356.JakartaOpenAdvice;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Jetty advice woven into a class shaped like Jetty 12's {@code JakartaWebSocketFrameHandler} (its two fields,
 * its {@code onOpen}/{@code onClosed}, an endpoint called through handles), alone for annotated endpoints and
 * together with the JSR-356 advice for programmatic ones: each session opens once and ends once.
 */
class JettyAdviceTest {
    static final String TURN = "/api/private/turn";
    private final WebsocketFakes fakes = new WebsocketFakes();

    /** Jetty's frame handler, reduced to what the advice reads and the order in which Jetty calls the endpoint. */
    public static class FrameHandler {
        private EndpointConfig endpointConfig;
        private Session session;
        private final BiConsumer<Session, EndpointConfig> openHandle;
        private final Consumer<Session> closeHandle;

        public FrameHandler(EndpointConfig endpointConfig, BiConsumer<Session, EndpointConfig> openHandle,
                            Consumer<Session> closeHandle) {
            this.endpointConfig = endpointConfig;
            this.openHandle = openHandle;
            this.closeHandle = closeHandle;
        }

        public void onOpen(Object coreSession, Object callback) {
            session = fake(Session.class, endpointConfig.getUserProperties(), TURN); // Jetty: the config's map
            openHandle.accept(session, endpointConfig);
        }

        public void onClosed(Object closeStatus, Object callback) {
            closeHandle.accept(session);
        }
    }

    /** A programmatic endpoint, reached by Jetty through its frame handler. */
    public static class Relay extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
        }
    }

    private final Class<?> handlerType;
    private final Endpoint relay;

    JettyAdviceTest() throws ReflectiveOperationException {
        ClassLoader loader = new ByteBuddy().redefine(FrameHandler.class)
                .visit(Advice.to(JettyOpenAdvice.class).on(named("onOpen").and(takesArguments(2))))
                .visit(Advice.to(JettyClosedAdvice.class).on(named("onClosed").and(takesArguments(2))))
                .make()
                .include(new ByteBuddy().redefine(Relay.class)
                        .visit(Advice.to(JakartaOpenAdvice.class).on(named("onOpen").and(takesArguments(2))))
                        .visit(Advice.to(JakartaCloseAdvice.class).on(named("onClose").and(takesArguments(2))))
                        .make())
                .load(new ClassLoader(getClass().getClassLoader()) { }, ClassLoadingStrategy.Default.CHILD_FIRST)
                .getLoaded().getClassLoader();
        handlerType = Class.forName(FrameHandler.class.getName(), true, loader);
        relay = (Endpoint) Class.forName(Relay.class.getName(), true, loader).getDeclaredConstructor().newInstance();
    }

    @AfterEach
    void uninstall() {
        fakes.close();
    }

    private Object handler(EndpointConfig config, BiConsumer<Session, EndpointConfig> open, Consumer<Session> close)
            throws ReflectiveOperationException {
        return handlerType.getConstructor(EndpointConfig.class, BiConsumer.class, Consumer.class).newInstance(config, open, close);
    }

    private static void call(Object handler, String method) throws ReflectiveOperationException {
        handler.getClass().getMethod(method, Object.class, Object.class).invoke(handler, null, null);
    }

    @Test
    void anAnnotatedEndpointCalledThroughHandlesOpensAndEndsOnce() throws ReflectiveOperationException {
        Object handler = handler(fake(ServerEndpointConfig.class, properties(), TURN), (s, c) -> { }, s -> { });
        call(handler, "onOpen");
        assertThat(fakes.concurrent(TURN)).isEqualTo("1.0");
        call(handler, "onClosed");
        assertThat(fakes.concurrent(TURN)).isEqualTo("0.0");
        assertThat(fakes.ended(TURN)).isEqualTo("1");
    }

    @Test
    void aProgrammaticEndpointSeenByBothAdvicesCountsOnceWhicheverClosesFirst() throws ReflectiveOperationException {
        Map<String, Object> properties = properties();
        Object handler = handler(fake(ServerEndpointConfig.class, properties, TURN), relay::onOpen,
                s -> relay.onClose(s, null));
        call(handler, "onOpen");
        assertThat(fakes.concurrent(TURN)).isEqualTo("1.0");
        call(handler, "onClosed"); // Jetty's close notification first, then the endpoint's onClose inside it
        assertThat(fakes.ended(TURN)).isEqualTo("1");

        Object second = handler(fake(ServerEndpointConfig.class, properties(), TURN), relay::onOpen, s -> { });
        call(second, "onOpen");
        relay.onClose(fake(Session.class, sessionOf(second), TURN), null); // a close frame: the endpoint hears first
        call(second, "onClosed");
        assertThat(fakes.concurrent(TURN)).isEqualTo("0.0");
        assertThat(fakes.ended(TURN)).isEqualTo("2");
        assertThat(properties).doesNotContainKey(WebsocketBridge.SESSION_PROPERTY);
    }

    @Test
    void aSessionWhoseOpenFailedEarlyStillEndsAndAClientSessionNeverCounts() throws ReflectiveOperationException {
        Object failed = handler(fake(ServerEndpointConfig.class, properties(), TURN), (s, c) -> {
            throw new IllegalStateException("Session is not open");
        }, s -> { });
        try {
            call(failed, "onOpen");
        } catch (java.lang.reflect.InvocationTargetException expected) {
            // Jetty catches this inside its own onOpen and closes the session, which calls onClosed
        }
        call(failed, "onClosed");
        assertThat(fakes.ended(TURN)).isEqualTo("1");

        Object client = handler(fake(ClientEndpointConfig.class, properties(), TURN), relay::onOpen, s -> { });
        call(client, "onOpen");
        call(client, "onClosed");
        assertThat(fakes.concurrent(TURN)).isEqualTo("0.0");
        assertThat(fakes.ended(TURN)).isEqualTo("1");
    }

    private static Map<String, Object> sessionOf(Object handler) throws ReflectiveOperationException {
        java.lang.reflect.Field field = handler.getClass().getDeclaredField("endpointConfig");
        field.setAccessible(true);
        return ((EndpointConfig) field.get(handler)).getUserProperties();
    }
}

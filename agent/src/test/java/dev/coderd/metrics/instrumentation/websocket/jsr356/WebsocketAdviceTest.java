package dev.coderd.metrics.instrumentation.websocket.jsr356;

import static dev.coderd.metrics.instrumentation.websocket.WebsocketFakes.fake;
import static dev.coderd.metrics.instrumentation.websocket.WebsocketFakes.properties;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderd.metrics.bridge.websocket.WebsocketBridge;
import dev.coderd.metrics.instrumentation.websocket.WebsocketFakes;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JSR-356 advice woven as the instrumentation weaves it, into the API's own {@code Endpoint} (whose empty
 * {@code onClose} most endpoints inherit) and endpoint shapes the containers and frameworks have: a subclass
 * calling {@code super.onOpen}, an {@code onOpen} that throws, a client session, a configurator.
 */
class WebsocketAdviceTest {
    static final String LISTEN = "/api/private/envagent/{workspace}/listen";
    private final WebsocketFakes fakes = new WebsocketFakes();

    /** A programmatic endpoint that inherits the base class's onClose. */
    public static class Listener extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.getUserProperties().put("opened", true);
        }
    }

    /** A framework's adapter around it, calling super (PojoEndpointServer, Spring's adapter delegate likewise). */
    public static class WrappingListener extends Listener {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            super.onOpen(session, config);
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            super.onClose(session, reason);
        }
    }

    public static class FailingListener extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            throw new IllegalStateException("the application's onOpen failed");
        }
    }

    public static class OriginCheck extends ServerEndpointConfig.Configurator {
        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
            config.getUserProperties().put("checked", true);
        }
    }

    private final Map<String, Class<?>> woven = weave(Endpoint.class, Listener.class, WrappingListener.class,
            FailingListener.class, OriginCheck.class);

    @AfterEach
    void uninstall() {
        fakes.close();
    }

    private static Map<String, Class<?>> weave(Class<?>... types) {
        DynamicType.Unloaded<?> first = null;
        java.util.List<DynamicType> rest = new java.util.ArrayList<>();
        for (Class<?> type : types) {
            DynamicType.Unloaded<?> unloaded = new ByteBuddy().redefine(type)
                    .visit(Advice.to(JakartaOpenAdvice.class).on(named("onOpen").and(takesArguments(2))))
                    .visit(Advice.to(JakartaCloseAdvice.class).on(named("onClose").and(takesArguments(2))))
                    .visit(Advice.to(JakartaHandshakeAdvice.class).on(named("modifyHandshake").and(takesArguments(3))))
                    .make();
            if (first == null) {
                first = unloaded;
            } else {
                rest.add(unloaded);
            }
        }
        Map<String, Class<?>> loaded = new HashMap<>();
        first.include(rest).load(new ClassLoader(WebsocketAdviceTest.class.getClassLoader()) { },
                ClassLoadingStrategy.Default.CHILD_FIRST).getAllLoaded()
                .forEach((description, type) -> loaded.put(simpleName(type.getName()), type));
        return loaded;
    }

    /** {@code Class.getSimpleName} needs the nest host, which stays in the test's loader. */
    private static String simpleName(String name) {
        return name.substring(Math.max(name.lastIndexOf('$'), name.lastIndexOf('.')) + 1);
    }

    private Object endpoint(String name) throws ReflectiveOperationException {
        return woven.get(name).getDeclaredConstructor().newInstance();
    }

    private static void call(Object target, String method, Object... args) throws Throwable {
        for (Method m : target.getClass().getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                try {
                    m.invoke(target, args);
                    return;
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new NoSuchMethodException(method);
    }

    @Test
    void aSessionOpensOnceThroughNestedOnOpensAndEndsOnceInTheInheritedOnClose() throws Throwable {
        Map<String, Object> sessionProperties = properties();
        Session session = fake(Session.class, sessionProperties, "/api/private/envagent/dev/listen");
        ServerEndpointConfig config = fake(ServerEndpointConfig.class, properties(), LISTEN);
        Object endpoint = endpoint("WrappingListener");

        call(endpoint, "onOpen", session, config);
        assertThat(sessionProperties).containsKeys("opened", WebsocketBridge.SESSION_PROPERTY);
        assertThat(fakes.concurrent(LISTEN)).isEqualTo("1.0");

        call(endpoint, "onClose", session, new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "gone"));
        call(endpoint("Listener"), "onClose", session, null); // the container's second notification, if it sent one
        assertThat(fakes.concurrent(LISTEN)).isEqualTo("0.0");
        assertThat(fakes.ended(LISTEN)).isEqualTo("1");
        assertThat(sessionProperties).doesNotContainKey(WebsocketBridge.SESSION_PROPERTY);
    }

    @Test
    void anOnOpenThatThrowsStillThrowsAndItsSessionEndsThere() throws Throwable {
        Map<String, Object> sessionProperties = properties();
        Session session = fake(Session.class, sessionProperties, "/api/private/envagent/dev/listen");
        Object endpoint = endpoint("FailingListener");

        assertThatThrownBy(() -> call(endpoint, "onOpen", session, fake(ServerEndpointConfig.class, properties(), LISTEN)))
                .isInstanceOf(IllegalStateException.class).hasMessage("the application's onOpen failed");
        call(endpoint, "onClose", session, null);
        assertThat(fakes.concurrent(LISTEN)).isEqualTo("0.0");
        assertThat(fakes.ended(LISTEN)).isEqualTo("1");
    }

    @Test
    void aClientSessionIsNoApiWebsocket() throws Throwable {
        Map<String, Object> sessionProperties = properties();
        Session session = fake(Session.class, sessionProperties, "/api/private/envagent/dev/listen");
        Object endpoint = endpoint("Listener");
        call(endpoint, "onOpen", session, fake(ClientEndpointConfig.class, properties(), LISTEN));
        call(endpoint, "onClose", session, null);
        assertThat(sessionProperties).containsOnlyKeys("opened");
        assertThat(fakes.concurrent(LISTEN)).isEqualTo("absent");
    }

    @Test
    void theHandshakeKeepsTheRouteForTheSessionAndTheConfiguratorStillRuns() throws Throwable {
        Map<String, Object> handshake = properties();
        call(endpoint("OriginCheck"), "modifyHandshake", fake(ServerEndpointConfig.class, handshake, LISTEN), null, null);
        assertThat(handshake).containsEntry(WebsocketBridge.ROUTE_PROPERTY, LISTEN).containsEntry("checked", true);

        Map<String, Object> sessionProperties = properties();
        sessionProperties.putAll(handshake);
        call(endpoint("Listener"), "onOpen", fake(Session.class, sessionProperties, "/x"),
                fake(ServerEndpointConfig.class, handshake, "/not/the/route"));
        assertThat(fakes.concurrent(LISTEN)).isEqualTo("1.0");
    }
}

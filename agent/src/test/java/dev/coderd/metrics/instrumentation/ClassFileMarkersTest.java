package dev.coderd.metrics.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.instrumentation.http.jdk.JdkHttpServerInstrumentation;
import dev.coderd.metrics.instrumentation.http.servlet.ServletInstrumentation;
import dev.coderd.metrics.instrumentation.http.spring.SpringMvcInstrumentation;
import dev.coderd.metrics.instrumentation.shapes.ServletShapes;
import dev.coderd.metrics.instrumentation.shapes.WebsocketShapes;
import dev.coderd.metrics.instrumentation.websocket.jetty.JettyWebsocketInstrumentation;
import dev.coderd.metrics.instrumentation.websocket.jsr356.WebsocketInstrumentation;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Each instrumentation's class-file markers are present in every shape of class it must transform; a class
 * without them never reaches Byte Buddy ({@link ClassFilePrefilter}), so a missing marker is a silent miss.
 * The prefilter reads only bytes, so the same class defined by another loader passes or fails the same way.
 */
class ClassFileMarkersTest {
    private static byte[] bytesOf(Class<?> type) throws IOException {
        return bytesOf(type.getName());
    }

    private static byte[] bytesOf(String className) throws IOException {
        try (InputStream in = ClassFileMarkersTest.class.getResourceAsStream("/" + className.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    private static ClassFilePrefilter only(InstrumentationModule module) {
        return new ClassFilePrefilter(null, new ClassFileMarkers(module.classFileMarkers()));
    }

    @Test
    void servletMarkersAreInEveryServletAndFilterShape() throws IOException {
        ClassFilePrefilter servlet = only(new ServletInstrumentation());
        for (Class<?> shape : new Class<?>[] {ServletShapes.NoThrowsServlet.class, ServletShapes.NoThrowsFilter.class,
                ServletShapes.BridgedFilter.class, ServletShapes.ANONYMOUS.getClass(),
                ServletShapes.CONTAINER_BASES[0], ServletShapes.CONTAINER_BASES[1],
                javax.servlet.http.HttpServlet.class, javax.servlet.http.HttpFilter.class}) {
            assertThat(servlet.mentionsAny(bytesOf(shape))).as(shape.getName()).isTrue();
        }
    }

    @Test
    void theJdkServerMarkerIsInTheClassItAdvises() throws IOException {
        assertThat(only(new JdkHttpServerInstrumentation()).mentionsAny(bytesOf("sun.net.httpserver.ServerImpl")))
                .isTrue();
    }

    @Test
    void springsMarkersAreTheAdvisedClassesOwnNames() {
        // a class file always holds its own name; the marker must be exactly that name, in internal form
        assertThat(new SpringMvcInstrumentation().classFileMarkers()).containsExactly(
                "org/springframework/web/servlet/DispatcherServlet",
                "org/springframework/web/servlet/handler/AbstractUrlHandlerMapping");
    }

    @Test
    void websocketMarkersAreInEveryEndpointAndConfiguratorShapeOfBothNamespaces() throws IOException {
        ClassFilePrefilter websocket = only(new WebsocketInstrumentation());
        for (String shape : new String[] {"jakarta.websocket.Endpoint", "javax.websocket.Endpoint",
                "jakarta.websocket.server.ServerEndpointConfig$Configurator",
                "javax.websocket.server.ServerEndpointConfig$Configurator",
                WebsocketShapes.OnlyOpen.class.getName(), WebsocketShapes.OnlyClose.class.getName(),
                WebsocketShapes.CloseOverride.class.getName(), WebsocketShapes.Configurator.class.getName()}) {
            assertThat(websocket.mentionsAny(bytesOf(shape))).as(shape).isTrue();
        }
    }

    @Test
    void theJettyMarkerIsInTheFrameHandlerWhoseFieldsAndMethodsTheAdviceNames() throws Exception {
        Class<?> handler = org.eclipse.jetty.ee10.websocket.jakarta.common.JakartaWebSocketFrameHandler.class;
        assertThat(only(new JettyWebsocketInstrumentation()).mentionsAny(bytesOf(handler))).isTrue();
        // the advice reads these by name (@Advice.FieldValue): a Jetty that renames them would leave sessions unseen
        assertThat(handler.getDeclaredField("endpointConfig").getType()).isEqualTo(jakarta.websocket.EndpointConfig.class);
        assertThat(jakarta.websocket.Session.class).isAssignableFrom(handler.getDeclaredField("session").getType());
        assertThat(handler.getMethod("onOpen", org.eclipse.jetty.websocket.core.CoreSession.class,
                org.eclipse.jetty.util.Callback.class).getDeclaringClass()).isEqualTo(handler);
        assertThat(handler.getMethod("onClosed", org.eclipse.jetty.websocket.core.CloseStatus.class,
                org.eclipse.jetty.util.Callback.class).getDeclaringClass()).isEqualTo(handler);
    }
}

package dev.coderd.metrics.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.instrumentation.http.jdk.JdkHttpServerInstrumentation;
import dev.coderd.metrics.instrumentation.http.servlet.ServletInstrumentation;
import dev.coderd.metrics.instrumentation.http.spring.SpringMvcInstrumentation;
import dev.coderd.metrics.instrumentation.shapes.ServletShapes;
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
    void springsMarkerIsTheDispatcherServletsOwnName() {
        // a class file always holds its own name; the marker must be exactly that name, in internal form
        assertThat(new SpringMvcInstrumentation().classFileMarkers())
                .containsExactly("org/springframework/web/servlet/DispatcherServlet");
    }
}

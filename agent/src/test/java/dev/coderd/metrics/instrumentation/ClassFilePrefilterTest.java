package dev.coderd.metrics.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderd.metrics.instrumentation.http.jdk.JdkHttpServerInstrumentation;
import dev.coderd.metrics.instrumentation.http.servlet.ServletInstrumentation;
import dev.coderd.metrics.instrumentation.http.spring.SpringMvcInstrumentation;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Classes without any instrumentation's marker skip Byte Buddy (the markers' coverage: {@link ClassFileMarkersTest}). */
class ClassFilePrefilterTest {
    private final List<String> markers = new ArrayList<>();
    {
        markers.addAll(new ServletInstrumentation().classFileMarkers());
        markers.addAll(new SpringMvcInstrumentation().classFileMarkers());
        markers.addAll(new JdkHttpServerInstrumentation().classFileMarkers());
    }
    private final ClassFilePrefilter prefilter = new ClassFilePrefilter(null, new ClassFileMarkers(markers));

    private static byte[] bytesOf(String className) throws IOException {
        String resource = "/" + className.replace('.', '/') + ".class";
        try (InputStream in = ClassFilePrefilterTest.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    @Test
    void everythingElseSkipsByteBuddy() throws IOException {
        assertThat(prefilter.mentionsAny(bytesOf("java.lang.String"))).isFalse();
        assertThat(prefilter.mentionsAny(bytesOf("jakarta.servlet.GenericFilter"))).isFalse(); // declares no doFilter
        assertThat(prefilter.mentionsAny(bytesOf("java.util.concurrent.ThreadPoolExecutor"))).isFalse();
        assertThat(prefilter.mentionsAny(bytesOf("dev.coderd.metrics.config.RouteTemplates"))).isFalse();
    }
}

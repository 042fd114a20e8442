package dev.coderd.metrics.instrumentation;

import java.lang.instrument.IllegalClassFormatException;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.List;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * Passes a class being loaded to Byte Buddy only when its bytes mention something an instrumentation
 * matches on (each {@link InstrumentationModule#classFileMarkers()}), such as {@code servlet/ServletRequest}
 * in the descriptor of a {@code service} method. Every other class (almost all of them) costs one byte scan
 * instead of a parsed type description and a round of matchers: in the Spring Boot test-app that was most of
 * the agent's start-up time. Retransformations of loaded classes always pass.
 */
final class ClassFilePrefilter extends ResettableClassFileTransformer.WithDelegation {
    private final byte[][] markers;

    ClassFilePrefilter(ResettableClassFileTransformer delegate, List<String> markers) {
        super(delegate);
        this.markers = new byte[markers.size()][];
        for (int i = 0; i < markers.size(); i++) {
            this.markers[i] = markers.get(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        return redefined == null && !mentionsAny(bytes)
                ? null : classFileTransformer.transform(loader, name, redefined, domain, bytes);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                            byte[] bytes) throws IllegalClassFormatException {
        return redefined == null && !mentionsAny(bytes)
                ? null : classFileTransformer.transform(module, loader, name, redefined, domain, bytes);
    }

    boolean mentionsAny(byte[] bytes) {
        for (byte[] marker : markers) {
            if (contains(bytes, marker)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

package dev.coderd.metrics.instrumentation;

import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * Passes a class being loaded to Byte Buddy only when its bytes mention something an instrumentation
 * matches on ({@link ClassFileMarkers}), such as {@code servlet/ServletRequest} in the descriptor of a
 * {@code service} method. Every other class (almost all of them) costs one byte scan instead of a parsed
 * type description and a round of matchers: in the Spring Boot test-app that was most of the agent's
 * start-up time. Retransformations of loaded classes always pass.
 */
final class ClassFilePrefilter extends ResettableClassFileTransformer.WithDelegation {
    private final ClassFileMarkers markers;

    ClassFilePrefilter(ResettableClassFileTransformer delegate, ClassFileMarkers markers) {
        super(delegate);
        this.markers = markers;
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        return redefined == null && !markers.mentionedIn(bytes)
                ? null : classFileTransformer.transform(loader, name, redefined, domain, bytes);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                            byte[] bytes) throws IllegalClassFormatException {
        return redefined == null && !markers.mentionedIn(bytes)
                ? null : classFileTransformer.transform(module, loader, name, redefined, domain, bytes);
    }

    boolean mentionsAny(byte[] bytes) {
        return markers.mentionedIn(bytes);
    }
}

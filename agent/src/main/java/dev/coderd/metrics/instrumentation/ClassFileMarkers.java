package dev.coderd.metrics.instrumentation;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The instrumentations' class-file markers as bytes, and the one scan for them: does a class file mention
 * something an instrumentation matches on ({@link InstrumentationModule#classFileMarkers()})?
 */
public final class ClassFileMarkers {
    private final byte[][] markers;
    private final List<String> names;

    public ClassFileMarkers(List<String> markers) {
        this.names = List.copyOf(markers);
        this.markers = new byte[markers.size()][];
        for (int i = 0; i < markers.size(); i++) {
            this.markers[i] = markers.get(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** The markers of every enabled instrumentation. */
    public static ClassFileMarkers of(List<InstrumentationModule> enabled) {
        return new ClassFileMarkers(enabled.stream().flatMap(m -> m.classFileMarkers().stream()).toList());
    }

    boolean mentionedIn(byte[] classFile) {
        for (byte[] marker : markers) {
            if (contains(classFile, marker)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an internal class name ({@code sun/net/httpserver/ServerImpl}) contains a marker. */
    public boolean mentionedInName(String internalName) {
        for (String marker : names) {
            if (internalName.contains(marker)) {
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

package dev.coderd.metrics.instrumentation;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The instrumentations' class-file markers as bytes, and the one scan for them: does a class file mention
 * something an instrumentation matches on ({@link InstrumentationModule#classFileMarkers()})?
 *
 * <p>Every class the JVM loads passes here, on the loading thread, so the scan is one pass over the bytes
 * whatever the number of markers: a rolling key of the last four bytes is looked up in a small open-addressed
 * table of the markers' first four bytes, and only a hit compares whole markers. (A loop per marker made this
 * scan a third of the main thread's samples while the test-app started.)
 */
public final class ClassFileMarkers {
    /** Markers are at least this long: the rolling key's width. */
    static final int KEY_BYTES = 4;

    private final List<String> names;
    private final boolean[] used;
    private final int[] keys;
    private final byte[][][] markersByKey;
    private final int mask;

    public ClassFileMarkers(List<String> markers) {
        this.names = List.copyOf(markers);
        int size = Integer.highestOneBit(Math.max(16, markers.size() * 8 - 1)) << 1;
        this.used = new boolean[size];
        this.keys = new int[size];
        this.markersByKey = new byte[size][][];
        this.mask = size - 1;
        for (String marker : markers) {
            byte[] bytes = marker.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length < KEY_BYTES) {
                throw new IllegalArgumentException("class-file marker '" + marker + "' is shorter than " + KEY_BYTES + " characters");
            }
            int key = key(bytes, 0);
            int slot = slot(key);
            while (used[slot] && keys[slot] != key) {
                slot = (slot + 1) & mask;
            }
            used[slot] = true;
            keys[slot] = key;
            byte[][] same = markersByKey[slot] == null ? new byte[0][] : markersByKey[slot];
            byte[][] grown = java.util.Arrays.copyOf(same, same.length + 1);
            grown[same.length] = bytes;
            markersByKey[slot] = grown;
        }
    }

    /** The markers of every enabled instrumentation. */
    public static ClassFileMarkers of(List<InstrumentationModule> enabled) {
        return new ClassFileMarkers(enabled.stream().flatMap(m -> m.classFileMarkers().stream()).toList());
    }

    boolean mentionedIn(byte[] classFile) {
        int key = 0;
        for (int i = 0; i < classFile.length; i++) {
            key = (key << 8) | (classFile[i] & 0xff);
            if (i < KEY_BYTES - 1) {
                continue;
            }
            for (int slot = slot(key); used[slot]; slot = (slot + 1) & mask) {
                if (keys[slot] == key) {
                    int start = i - (KEY_BYTES - 1);
                    for (byte[] marker : markersByKey[slot]) {
                        if (at(classFile, start, marker)) {
                            return true;
                        }
                    }
                    break;
                }
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

    private static int key(byte[] bytes, int from) {
        return (bytes[from] & 0xff) << 24 | (bytes[from + 1] & 0xff) << 16 | (bytes[from + 2] & 0xff) << 8 | (bytes[from + 3] & 0xff);
    }

    private int slot(int key) {
        return (key * 0x9E3779B1 >>> 16) & mask;
    }

    /** Whether {@code marker} stands in {@code haystack} at {@code start} (its first four bytes already matched). */
    private static boolean at(byte[] haystack, int start, byte[] marker) {
        if (start + marker.length > haystack.length) {
            return false;
        }
        for (int j = KEY_BYTES; j < marker.length; j++) {
            if (haystack[start + j] != marker[j]) {
                return false;
            }
        }
        return true;
    }
}

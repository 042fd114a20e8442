package dev.coderd.metrics.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one-pass scan finds a marker exactly where a plain substring search does. */
class ClassFileMarkersScanTest {
    /** Markers sharing their first four bytes, one the prefix of another, and the agent's own shapes. */
    private static final List<String> MARKERS = List.of("java/sql/Statement", "java/sql/Connection", "java/util/concurrent/X",
            "doExec", "doExecute", "runWorker", "sun/net/httpserver/ServerImpl");

    private final ClassFileMarkers markers = new ClassFileMarkers(MARKERS);

    private boolean scan(String text) {
        return markers.mentionedIn(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aMarkerAnywhereInTheBytesIsFoundAndANearMissIsNot() {
        assertThat(scan("java/sql/Statement")).isTrue();                       // the whole input
        assertThat(scan("()Ljava/sql/Connection;")).isTrue();                  // inside a descriptor
        assertThat(scan("xxdoExec")).isTrue();                                 // at the very end
        assertThat(scan("java/sql/Statemen")).isFalse();                       // cut one byte short
        assertThat(scan("java/sql/Statemenx java/lang/Object doExe runWorke")).isFalse();
        assertThat(scan("jav")).isFalse();                                     // shorter than a key
        assertThat(scan("")).isFalse();
    }

    @Test
    void randomBytesSeededWithMarkerPiecesAgreeWithASubstringSearch() {
        Random random = new Random(20261126);
        String alphabet = "java/sqlStatemntdoExcurWkhp\u00ff\u0001";
        int found = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(80);
            while (b.length() < length) {
                if (random.nextInt(6) == 0) {
                    String marker = MARKERS.get(random.nextInt(MARKERS.size()));
                    b.append(marker, 0, 1 + random.nextInt(marker.length())); // a piece, sometimes all of it
                } else {
                    b.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String text = b.toString();
            boolean expected = MARKERS.stream().anyMatch(text::contains);
            assertThat(scan(text)).as(text).isEqualTo(expected);
            found += expected ? 1 : 0;
        }
        assertThat(found).as("inputs that hold a marker").isBetween(2_000, 18_000); // both answers were exercised
    }

    @Test
    void aMarkerShorterThanTheKeyIsRefusedAtOnce() {
        assertThatThrownBy(() -> new ClassFileMarkers(List.of("abc"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("class-file marker 'abc' is shorter than 4 characters");
    }
}

package dev.coderd.metrics.config;

import java.time.Duration;
import java.util.Locale;

/** Parses Go-style durations as Coder's settings use them: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
final class Durations {
    private Durations() {}

    static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        int unitStart = 0;
        while (unitStart < s.length() && (Character.isDigit(s.charAt(unitStart)))) {
            unitStart++;
        }
        if (unitStart == 0 || unitStart == s.length()) {
            throw new IllegalArgumentException(); // the key's type says what is expected
        }
        long amount = Long.parseLong(s.substring(0, unitStart));
        switch (s.substring(unitStart)) {
            case "ms": return Duration.ofMillis(amount);
            case "s": return Duration.ofSeconds(amount);
            case "m": return Duration.ofMinutes(amount);
            case "h": return Duration.ofHours(amount);
            default: throw new IllegalArgumentException(); // the key's type says what is expected
        }
    }
}

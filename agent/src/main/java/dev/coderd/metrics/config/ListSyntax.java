package dev.coderd.metrics.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one list syntax of every source: items separated by commas, a literal comma written {@code \,}, a
 * literal backslash {@code \\}; blank items are dropped and items are trimmed.
 */
final class ListSyntax {
    private ListSyntax() {}

    static List<String> split(String text) {
        List<String> items = new ArrayList<>();
        for (String piece : splitRaw(text)) {
            String item = unescape(piece).trim();
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        return Collections.unmodifiableList(items);
    }

    /** Splits at commas that are not escaped; the pieces keep their escapes. */
    static List<String> splitRaw(String text) {
        List<String> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                piece.append(c).append(text.charAt(++i));
            } else if (c == ',') {
                pieces.add(piece.toString());
                piece.setLength(0);
            } else {
                piece.append(c);
            }
        }
        pieces.add(piece.toString());
        return pieces;
    }

    static String unescape(String piece) {
        if (piece.indexOf('\\') < 0) {
            return piece;
        }
        StringBuilder out = new StringBuilder(piece.length());
        for (int i = 0; i < piece.length(); i++) {
            char c = piece.charAt(i);
            if (c == '\\' && i + 1 < piece.length()) {
                c = piece.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Escapes one item so that it survives {@link #split}. */
    static String escape(String item) {
        return item.replace("\\", "\\\\").replace(",", "\\,");
    }
}

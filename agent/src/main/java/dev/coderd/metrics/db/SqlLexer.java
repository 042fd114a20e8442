package dev.coderd.metrics.db;

/**
 * The tokens of SQL text as {@link SqlSummarizer} needs them: words, quoted identifiers and punctuation, with
 * whitespace, comments and every kind of literal skipped (standard {@code '...'}, PostgreSQL {@code E'...'}
 * and dollar quotes {@code $tag$...$tag$}, H2's {@code $$...$$}, numbers, parameters {@code ?} and {@code $1}).
 * Reads at most {@code limit} characters; a token cut off by the limit ends the scan with {@link #LIMIT}.
 *
 * <p>No allocation: a token is its type and its {@link #start}/{@link #end} offsets in the text.
 */
final class SqlLexer {
    static final int END = 0;       // end of the text
    static final int LIMIT = 1;     // the scan limit was reached, or an unterminated quote or comment: the rest is unknown
    static final int WORD = 2;      // an unquoted identifier or keyword
    static final int QUOTED = 3;    // "..." or `...`: start/end enclose the quotes
    static final int OPEN = 4;      // (
    static final int CLOSE = 5;     // )
    static final int SEMICOLON = 6;
    static final int DOT = 7;
    static final int OTHER = 8;     // literals, numbers, operators, parameters, anything else

    private final String text;
    private final int limit;
    private int pos;
    /** An unterminated quote, literal or comment: nothing after it can be read. */
    private boolean broken;
    int type;
    int start;
    int end;

    SqlLexer(String text, int limit) {
        this.text = text;
        this.limit = Math.min(text.length(), limit);
    }

    /** Where the lexer stands, to come back to with {@link #reset(int)} after a look ahead. */
    int mark() {
        return pos;
    }

    void reset(int mark) {
        pos = mark;
    }

    /** Reads the next token into {@link #type}, {@link #start} and {@link #end}; returns its type. */
    int next() {
        skipSpaceAndComments();
        start = pos;
        if (broken) {
            return type = LIMIT;
        }
        if (pos >= limit) {
            return type = pos >= text.length() ? END : LIMIT;
        }
        char c = text.charAt(pos);
        if (c == '\'') {
            return literal(pos + 1, false);
        }
        if (isWordStart(c)) {
            // E'..', N'..', B'..', X'..', U&'..': a prefixed string literal, not a word
            if (pos + 1 < limit && text.charAt(pos + 1) == '\'' && "EeNnBbXx".indexOf(c) >= 0) {
                return literal(pos + 2, c == 'E' || c == 'e');
            }
            int i = pos + 1;
            while (i < limit && isWordPart(text.charAt(i))) {
                i++;
            }
            if (i >= limit && limit < text.length()) {
                return type = LIMIT; // the word may go on past the limit
            }
            pos = end = i;
            return type = WORD;
        }
        if (c == '"' || c == '`') {
            int i = pos + 1;
            while (true) {
                if (i >= limit) {
                    pos = end = limit;
                    broken = true;
                    return type = LIMIT; // an unterminated quote
                }
                if (text.charAt(i) == c) {
                    if (i + 1 < limit && text.charAt(i + 1) == c) {
                        i += 2; // "" inside "..."
                        continue;
                    }
                    break;
                }
                i++;
            }
            pos = end = i + 1;
            return type = QUOTED;
        }
        if (c == '$') {
            return dollar();
        }
        pos = end = pos + 1;
        switch (c) {
            case '(': return type = OPEN;
            case ')': return type = CLOSE;
            case ';': return type = SEMICOLON;
            case '.':
                if (pos < limit && Character.isDigit(text.charAt(pos))) {
                    return number();
                }
                return type = DOT;
            default:
                if (Character.isDigit(c)) {
                    return number();
                }
                return type = OTHER;
        }
    }

    /** The current word equals {@code keyword} (upper case), ignoring case. */
    boolean is(String keyword) {
        return type == WORD && end - start == keyword.length() && text.regionMatches(true, start, keyword, 0, keyword.length());
    }

    /** The current token's text. */
    String text() {
        return text.substring(start, end);
    }

    private int number() {
        int i = pos;
        while (i < limit && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '.')) {
            i++;
        }
        pos = end = i;
        return type = OTHER;
    }

    /** {@code '...'} with {@code ''} inside; with backslash escapes for PostgreSQL's {@code E'...'}. */
    private int literal(int from, boolean backslashEscapes) {
        int i = from;
        while (i < limit) {
            char c = text.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
                continue;
            }
            if (c == '\'') {
                if (i + 1 < limit && text.charAt(i + 1) == '\'') {
                    i += 2;
                    continue;
                }
                pos = end = i + 1;
                return type = OTHER;
            }
            i++;
        }
        pos = limit;
        broken = true;
        return type = LIMIT;
    }

    /** {@code $1} (a parameter) or a dollar-quoted literal {@code $tag$...$tag$} / {@code $$...$$}. */
    private int dollar() {
        int i = pos + 1;
        if (i < limit && Character.isDigit(text.charAt(i))) {
            while (i < limit && Character.isDigit(text.charAt(i))) {
                i++;
            }
            pos = end = i;
            return type = OTHER;
        }
        while (i < limit && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
            i++;
        }
        if (i >= limit || text.charAt(i) != '$') {
            pos = end = Math.min(i, limit);
            return type = OTHER; // a lone $ (or $name): not a quote
        }
        int tagLength = i + 1 - pos; // "$tag$"
        int close = text.indexOf(text.substring(pos, i + 1), i + 1);
        if (close < 0 || close + tagLength > limit) {
            pos = limit;
            broken = true;
            return type = LIMIT;
        }
        pos = end = close + tagLength;
        return type = OTHER;
    }

    private void skipSpaceAndComments() {
        while (pos < limit) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '-' && pos + 1 < limit && text.charAt(pos + 1) == '-') {
                int eol = pos + 2;
                while (eol < limit && text.charAt(eol) != '\n' && text.charAt(eol) != '\r') {
                    eol++;
                }
                pos = eol;
            } else if (c == '/' && pos + 1 < limit && text.charAt(pos + 1) == '*') {
                pos = blockCommentEnd(pos + 2);
            } else {
                return;
            }
        }
    }

    /** Block comments nest in PostgreSQL and H2: {@code /* a /* b *}{@code / c *}{@code /}. */
    private int blockCommentEnd(int from) {
        int depth = 1;
        int i = from;
        while (i + 1 < limit) {
            char c = text.charAt(i);
            char d = text.charAt(i + 1);
            if (c == '*' && d == '/') {
                if (--depth == 0) {
                    return i + 2;
                }
                i += 2;
            } else if (c == '/' && d == '*') {
                depth++;
                i += 2;
            } else {
                i++;
            }
        }
        broken = true; // unterminated, or cut by the limit: the scan ends here
        return limit;
    }

    static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}

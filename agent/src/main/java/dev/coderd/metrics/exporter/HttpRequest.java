package dev.coderd.metrics.exporter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.1 request head, parsed from the bytes a {@link Connection} collected, with hard limits on
 * everything a client sends: an 8 KiB request line (414), 8 KiB header lines, 100 headers and 16 KiB of head
 * in all (431), a 1 MiB body with {@code Content-Length} (413; chunked bodies are refused with 411).
 *
 * <pre>
 * HttpRequest.Scanner scanner = new HttpRequest.Scanner();
 * int end = scanner.scan(buffer, 0, filled); // -1: not complete yet; throws BadRequest at the first bad byte
 * HttpRequest request = HttpRequest.parseHead(buffer, end);
 * </pre>
 */
final class HttpRequest {
    static final int MAX_LINE = 8192;
    static final int MAX_HEAD = 16384;
    static final int MAX_HEADERS = 100;
    static final int MAX_BODY = 1 << 20;

    /** A request the listener answers with an error status, then closes the connection. */
    static final class BadRequest extends IOException {
        final int status;
        final String reason;

        BadRequest(int status, String reason, String message) {
            super(message);
            this.status = status;
            this.reason = reason;
        }

        static BadRequest malformed(String message) {
            return new BadRequest(400, ListenerMetrics.BAD_REQUEST, message);
        }
    }

    final String method;
    final String path;
    final String query;
    final boolean keepAlive;
    final int contentLength;
    byte[] body = new byte[0];
    private final List<String[]> headers;

    private HttpRequest(String method, String path, String query, boolean keepAlive, List<String[]> headers, int contentLength) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.keepAlive = keepAlive;
        this.headers = headers;
        this.contentLength = contentLength;
    }

    /** The first value of a header (names are case-insensitive), or null. */
    String header(String name) {
        return first(headers, name);
    }

    List<String> headers(String name) {
        List<String> values = new ArrayList<>();
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                values.add(h[1]);
            }
        }
        return values;
    }

    /**
     * Finds the end of a request head as bytes arrive, refusing as early as possible: a request line whose
     * method holds a byte that is not a token character (a TLS ClientHello, binary junk) is refused at that
     * byte, and no limit waits for a line end to be noticed.
     */
    static final class Scanner {
        private int pos;        // next byte to look at, relative to the head's start
        private int lineStart;  // start of the current line
        private int lines;      // complete lines so far (the request line included)
        private boolean inMethod = true;

        void reset() {
            pos = 0;
            lineStart = 0;
            lines = 0;
            inMethod = true;
        }

        /** The length of the head (through its empty line) once {@code buf[0, filled)} holds it all, else -1. */
        int scan(byte[] buf, int filled) throws BadRequest {
            for (; pos < filled; pos++) {
                byte b = buf[pos];
                if (inMethod && !(lines == 0 && (b == '\r' || b == '\n') && pos - lineStart <= 1)) {
                    if (b == ' ' && pos > lineStart) {
                        inMethod = false;
                    } else if (!token(b)) {
                        throw BadRequest.malformed("this is not an HTTP request");
                    }
                }
                if (b == '\n') {
                    int length = pos - lineStart; // with its CR, if any
                    boolean empty = length == 0 || (length == 1 && buf[pos - 1] == '\r');
                    if (empty && lines > 0) {
                        return pos + 1;
                    }
                    if (!empty) { // empty lines before the request line are tolerated (RFC 9112, 2.2)
                        lines++;
                        if (lines > MAX_HEADERS + 1) {
                            throw new BadRequest(431, ListenerMetrics.HEADERS_TOO_LARGE, "more than " + MAX_HEADERS + " headers");
                        }
                    }
                    lineStart = pos + 1;
                } else if (pos - lineStart >= MAX_LINE) {
                    throw lines == 0
                            ? new BadRequest(414, ListenerMetrics.URI_TOO_LONG, "request line longer than " + MAX_LINE + " bytes")
                            : new BadRequest(431, ListenerMetrics.HEADERS_TOO_LARGE, "header line longer than " + MAX_LINE + " bytes");
                }
                if (pos >= MAX_HEAD) {
                    throw new BadRequest(431, ListenerMetrics.HEADERS_TOO_LARGE, "request head larger than " + MAX_HEAD + " bytes");
                }
            }
            return -1;
        }

        /** True while nothing but blank lines has arrived: a keep-alive connection between requests. */
        boolean nothingYet(byte[] buf, int filled) {
            for (int i = 0; i < filled; i++) {
                if (buf[i] != '\r' && buf[i] != '\n') {
                    return false;
                }
            }
            return true;
        }
    }

    /** Parses a complete head, {@code buf[0, length)} as found by the {@link Scanner}. */
    static HttpRequest parseHead(byte[] buf, int length) throws BadRequest {
        String text = new String(buf, 0, length, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n", -1);
        int first = 0;
        while (lines[first].isEmpty()) {
            first++;
        }
        String[] parts = lines[first].split(" ", -1);
        if (parts.length != 3 || !(parts[2].equals("HTTP/1.1") || parts[2].equals("HTTP/1.0")) || parts[0].isEmpty()
                || !tokens(parts[0], parts[0].length()) || !parts[1].startsWith("/")) {
            throw BadRequest.malformed("malformed request line");
        }
        List<String[]> headers = new ArrayList<>();
        for (int i = first + 1; i < lines.length && !lines[i].isEmpty(); i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0 || !tokens(line, colon)) {
                throw BadRequest.malformed("malformed header line"); // obs-fold and "Name :" included (RFC 9112, 5)
            }
            headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1).trim()});
        }
        String target = parts[1];
        int q = target.indexOf('?');
        return new HttpRequest(parts[0], q < 0 ? target : target.substring(0, q), q < 0 ? null : target.substring(q + 1),
                keepAlive(parts[2], first(headers, "Connection")), headers, contentLength(headers));
    }

    private static int contentLength(List<String[]> headers) throws BadRequest {
        if (first(headers, "Transfer-Encoding") != null) {
            throw new BadRequest(411, ListenerMetrics.LENGTH_REQUIRED, "chunked request bodies are not accepted; send Content-Length");
        }
        long n = -1;
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase("Content-Length")) {
                long value;
                try {
                    value = h[1].isEmpty() || !h[1].chars().allMatch(c -> c >= '0' && c <= '9') ? -1 : Long.parseLong(h[1]);
                } catch (NumberFormatException tooLong) {
                    value = Long.MAX_VALUE;
                }
                if (value < 0 || (n >= 0 && value != n)) {
                    throw BadRequest.malformed("malformed Content-Length");
                }
                n = value;
            }
        }
        if (n > MAX_BODY) {
            throw new BadRequest(413, ListenerMetrics.BODY_TOO_LARGE, "request body larger than " + MAX_BODY + " bytes");
        }
        return (int) Math.max(n, 0);
    }

    private static String first(List<String[]> headers, String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    private static boolean keepAlive(String version, String connection) {
        String c = connection == null ? null : connection.toLowerCase(Locale.ROOT);
        if (version.equals("HTTP/1.0")) {
            return c != null && c.contains("keep-alive");
        }
        return c == null || !c.contains("close");
    }

    private static boolean tokens(String s, int end) {
        for (int i = 0; i < end; i++) {
            if (!token((byte) s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 tchar. */
    private static boolean token(byte b) {
        if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')) {
            return true;
        }
        return b > 0 && "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
    }
}

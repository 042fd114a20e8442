package dev.coderd.metrics.exporter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.1 request read from the listener's socket, with hard limits: an 8 KiB request line and header
 * lines, 100 headers, a 1 MiB body with {@code Content-Length} (chunked bodies are refused).
 */
final class HttpRequest {
    static final int MAX_LINE = 8192;
    static final int MAX_HEADERS = 100;
    static final int MAX_BODY = 1 << 20;

    /** A request the listener answers with an error status, then closes the connection. */
    static final class BadRequest extends IOException {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    final String method;
    final String path;
    final String query;
    final boolean keepAlive;
    final byte[] body;
    private final List<String[]> headers;

    private HttpRequest(String method, String path, String query, boolean keepAlive, List<String[]> headers, byte[] body) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.keepAlive = keepAlive;
        this.headers = headers;
        this.body = body;
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

    /** The next request on the connection, or null when the client closed it cleanly. */
    static HttpRequest read(InputStream in) throws IOException {
        String requestLine = readLine(in, true);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.") || parts[0].isEmpty() || !parts[1].startsWith("/")) {
            throw new BadRequest(400, "malformed request line");
        }
        List<String[]> headers = new ArrayList<>();
        for (String line = readLine(in, false); !line.isEmpty(); line = readLine(in, false)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new BadRequest(400, "malformed header line");
            }
            if (headers.size() == MAX_HEADERS) {
                throw new BadRequest(431, "too many headers");
            }
            headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
        }
        String target = parts[1];
        int q = target.indexOf('?');
        return new HttpRequest(parts[0], q < 0 ? target : target.substring(0, q), q < 0 ? null : target.substring(q + 1),
                keepAlive(parts[2], first(headers, "Connection")), headers, readBody(in, headers));
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

    private static byte[] readBody(InputStream in, List<String[]> headers) throws IOException {
        if (first(headers, "Transfer-Encoding") != null) {
            throw new BadRequest(411, "chunked request bodies are not accepted; send Content-Length");
        }
        String length = first(headers, "Content-Length");
        if (length == null) {
            return new byte[0];
        }
        long n;
        try {
            n = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest(400, "malformed Content-Length");
        }
        if (n < 0) {
            throw new BadRequest(400, "malformed Content-Length");
        }
        if (n > MAX_BODY) {
            throw new BadRequest(413, "request body larger than " + MAX_BODY + " bytes");
        }
        byte[] body = in.readNBytes((int) n);
        if (body.length != n) {
            throw new BadRequest(400, "request body shorter than its Content-Length");
        }
        return body;
    }

    /** A CRLF- (or LF-) terminated ISO-8859-1 line; null at a clean end of stream before the request line. */
    private static String readLine(InputStream in, boolean first) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (first && line.size() == 0) {
                    return null;
                }
                throw new BadRequest(400, "connection closed inside the request head");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (line.size() == MAX_LINE) {
                throw new BadRequest(first ? 414 : 431, "request line or header longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }
}

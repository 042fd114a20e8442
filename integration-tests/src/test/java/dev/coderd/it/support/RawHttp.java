package dev.coderd.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, byte for byte as a test writes it: for requests no client library would send
 * (dripped heads, oversize lines, pipelining, half-closes) and for scrapes on a connection of their own that
 * closes after the answer, so that connection counts stay exact.
 */
public final class RawHttp {
    private RawHttp() {}

    /** One response read off a socket: status, head, body (by Content-Length). */
    public record Response(int status, String head, String body) {
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /** A scrape and how long it took, from connect to the last byte. */
    public record Timed(int status, long millis, String body) {}

    public static Socket connect(int port) {
        try {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(20_000);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void send(Socket s, String text) {
        try {
            s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next response on the socket, or null when the server closed it first. */
    public static Response read(Socket s) {
        try {
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : h.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return new Response(Integer.parseInt(h.split(" ")[1]), h, body);
        } catch (SocketException reset) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the server closed the connection: nothing more to read. Closes ours too. */
    public static boolean closedByServer(Socket s) {
        try (s) {
            return s.getInputStream().read() < 0;
        } catch (SocketException reset) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One request on a fresh connection that closes after the answer. */
    public static Response exchange(int port, String request) {
        try (Socket s = connect(port)) {
            send(s, request);
            return read(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code GET /metrics} on a fresh connection, timed from connect to the last byte of the body. */
    public static Timed scrape(int port, String... headers) {
        long start = System.nanoTime();
        StringBuilder request = new StringBuilder("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        Response r = exchange(port, request.append("\r\n").toString());
        long millis = (System.nanoTime() - start) / 1_000_000;
        return r == null ? new Timed(-1, millis, "") : new Timed(r.status(), millis, r.body());
    }
}

package dev.coderd.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A websocket client on a plain socket, for what a real client library will not do: vanish without a close
 * frame ({@link #kill()}: the socket is reset), or send exactly the upgrade request a test wants (a foreign
 * {@code Origin}). One instance per session; not thread-safe.
 *
 * <pre>
 * try (RawWebSocket ws = RawWebSocket.connect(port, "/api/private/turn")) {
 *     assertThat(ws.status()).isEqualTo(101);
 *     assertThat(ws.readText()).isEqualTo("relay");  // the server's greeting: its onOpen ran
 * }                                                 // close frame, the server's close frame, socket closed
 * </pre>
 */
public final class RawWebSocket implements AutoCloseable {
    private static final int TEXT = 0x1;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int status;
    private boolean closed;

    private RawWebSocket(Socket socket, int status) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.status = status;
        this.closed = status != 101;
        if (closed) {
            socket.close();
        }
    }

    /** Sends an upgrade request for {@code path} with extra header pairs; {@link #status()} tells how it went. */
    public static RawWebSocket connect(int port, String path, String... headers) {
        try {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(15_000);
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n")
                    .append("Sec-WebSocket-Version: 13\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            String head = readHead(socket.getInputStream());
            return new RawWebSocket(socket, Integer.parseInt(head.split(" ", 3)[1]));
        } catch (IOException e) {
            throw new UncheckedIOException("websocket upgrade of " + path, e);
        }
    }

    /** The status of the upgrade response: 101 when the server accepted. */
    public int status() {
        return status;
    }

    /** The next text message (pings are answered); fails on a close frame or after 15 s. */
    public String readText() {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode == TEXT) {
                return new String(frame.payload, StandardCharsets.UTF_8);
            }
            if (frame.opcode == PING) {
                send(PONG, frame.payload);
            } else if (frame.opcode == CLOSE) {
                throw new IllegalStateException("the server closed the session: " + closeCode(frame.payload));
            }
        }
    }

    public void sendText(String text) {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Waits until the server closes the session (its idle timeout, say): the close code of its close frame, or
     * -1 when the connection ended without one. Answers the close as a client should.
     */
    public int awaitServerClose(Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            while (true) {
                Frame frame = readFrame();
                if (frame.opcode == CLOSE) {
                    send(CLOSE, frame.payload.length >= 2 ? new byte[] {frame.payload[0], frame.payload[1]} : new byte[0]);
                    closeSocket();
                    return closeCode(frame.payload);
                }
            }
        } catch (Ended | UncheckedIOException ended) {
            closeSocket();
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client vanishes: the TCP connection is reset, no close frame is ever sent. */
    public void kill() {
        if (closed) {
            return;
        }
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing resets or ends the connection either way
        }
        closeSocket();
    }

    /** A normal close: a close frame (1000), the server's close frame, then the socket. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            send(CLOSE, new byte[] {0x03, (byte) 0xE8});
            while (readFrame().opcode != CLOSE) {
                // messages still in flight
            }
        } catch (RuntimeException alreadyGone) {
            // the server closed first
        } finally {
            closeSocket();
        }
    }

    private void closeSocket() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0D0A0D0A) { // up to the blank line, not a byte further: frames may follow
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the upgrade response: " + head);
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The server ended the TCP connection. */
    private static final class Ended extends RuntimeException {
        Ended(String message) {
            super(message);
        }
    }

    private record Frame(int opcode, byte[] payload) {}

    private Frame readFrame() {
        try {
            int b0 = readByte();
            int b1 = readByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = (readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
            }
            byte[] payload = in.readNBytes((int) length); // the server never masks
            if (payload.length != length) {
                throw new Ended("the connection ended inside a frame");
            }
            return new Frame(b0 & 0x0F, payload);
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException("no frame from the server in time", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new Ended("the server ended the connection");
        }
        return b;
    }

    private void send(int opcode, byte[] payload) {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        }
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        try {
            out.write(frame.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int closeCode(byte[] payload) {
        return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
    }
}

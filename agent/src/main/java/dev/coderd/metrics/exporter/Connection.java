package dev.coderd.metrics.exporter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One client connection, a state machine driven by the {@link ListenerLoop}'s thread alone:
 *
 * <pre>
 * IDLE ──first byte──▶ HEAD ──head complete──▶ (BODY) ──▶ HANDLING ──response──▶ WRITING ──▶ IDLE (or LINGER)
 * </pre>
 *
 * A connection in IDLE, HEAD, BODY, WRITING or LINGER costs no thread: it waits in the selector. Only
 * HANDLING uses a worker, and only for a scrape. Deadlines: IDLE until the idle timeout, HEAD (the TLS
 * handshake included) and BODY each until the head timeout from their first byte (then 408), WRITING until
 * {@link ListenerLoop#WRITE_TIMEOUT_NANOS}, LINGER (reading what a refused client still sends, so that the
 * refusal is not lost to a TCP reset) until {@link ListenerLoop#LINGER_NANOS}.
 */
final class Connection {
    enum State { IDLE, HEAD, BODY, HANDLING, WRITING, LINGER, CLOSED }

    private static final int FIRST_BUFFER = 2048;
    private static final int LINGER_BYTES = 1 << 20;

    final Transport transport;
    private final ListenerLoop loop;
    private final SocketChannel channel;
    private SelectionKey key;
    State state = State.IDLE;
    long since; // when the current state's deadline started
    private byte[] in;
    private int filled;
    private final HttpRequest.Scanner scanner = new HttpRequest.Scanner();
    private HttpRequest request;
    private int bodyFilled;
    private ByteBuffer out;
    private boolean closeAfterWrite;
    private boolean inputEnded;
    private long lingered;

    Connection(ListenerLoop loop, SocketChannel channel, Transport transport, long now) {
        this.loop = loop;
        this.channel = channel;
        this.transport = transport;
        this.since = now;
    }

    void register(SelectionKey key) {
        this.key = key;
    }

    void onReady(int readyOps, long now) throws IOException {
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            onWritable(now);
        }
        if (state != State.CLOSED && (readyOps & SelectionKey.OP_READ) != 0) {
            onReadable(now);
        }
        updateInterest();
    }

    private void onWritable(long now) throws IOException {
        if (state == State.WRITING) {
            if (transport.write(out)) {
                responseDone(now);
            }
        } else if (transport.flush() && reading()) {
            onReadable(now); // the handshake can go on
        }
    }

    private boolean reading() {
        return state == State.IDLE || state == State.HEAD || state == State.BODY;
    }

    private void onReadable(long now) throws IOException {
        if (state == State.LINGER) {
            linger();
            return;
        }
        if (!reading()) {
            return;
        }
        ByteBuffer scratch = loop.scratch;
        try {
            while (reading() && !transport.pendingOutput()) {
                scratch.clear();
                int n = transport.read(scratch);
                if (n < 0) {
                    inputEnded = true;
                    break;
                }
                if (n == 0) {
                    if (state == State.IDLE && transport instanceof TlsTransport && ((TlsTransport) transport).midHandshake()) {
                        startHead(now);
                    }
                    break;
                }
                append(scratch);
                process(now);
            }
        } catch (HttpRequest.BadRequest bad) {
            refuse(HttpResponse.text(bad.status, bad.getMessage() + "\n"), bad.reason, now);
            return;
        } catch (TlsTransport.PlainHttpOnTlsPort plain) {
            loop.metrics.refused(ListenerMetrics.BAD_REQUEST);
            writePlainAndClose("HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"
                    + "Client sent an HTTP request to an HTTPS server.\n");
            return;
        } catch (javax.net.ssl.SSLException handshake) {
            loop.metrics.refused(ListenerMetrics.TLS_HANDSHAKE);
            transport.shutdownOutput(); // the alert, if the engine has one
            close();
            return;
        }
        if (inputEnded && reading()) {
            if (state == State.IDLE) {
                close();
            } else {
                refuse(HttpResponse.text(400, "connection closed inside the request\n"), ListenerMetrics.BAD_REQUEST, now);
            }
        }
    }

    private void append(ByteBuffer scratch) {
        scratch.flip();
        int n = scratch.remaining();
        if (in == null) {
            in = new byte[Math.max(FIRST_BUFFER, n)];
        } else if (in.length - filled < n) {
            byte[] bigger = new byte[Math.max(in.length * 2, filled + n)];
            System.arraycopy(in, 0, bigger, 0, filled);
            in = bigger;
        }
        scratch.get(in, filled, n);
        filled += n;
    }

    private void startHead(long now) {
        state = State.HEAD;
        since = now;
        loop.markActive(this);
    }

    /** Turns buffered bytes into requests as far as they go. */
    private void process(long now) throws HttpRequest.BadRequest {
        while (true) {
            switch (state) {
                case IDLE:
                    int blank = 0; // CR/LF between requests are not a request yet (RFC 9112, 2.2)
                    while (blank < filled && (in[blank] == '\r' || in[blank] == '\n')) {
                        blank++;
                    }
                    consume(blank);
                    if (filled == 0) {
                        return;
                    }
                    startHead(now);
                    break;
                case HEAD:
                    int end = scanner.scan(in, filled);
                    if (end < 0) {
                        return;
                    }
                    request = HttpRequest.parseHead(in, end);
                    consume(end);
                    scanner.reset();
                    if (request.contentLength == 0) {
                        dispatch(now);
                        return;
                    }
                    request.body = new byte[request.contentLength];
                    bodyFilled = 0;
                    state = State.BODY;
                    since = now;
                    break;
                case BODY:
                    int k = Math.min(filled, request.body.length - bodyFilled);
                    System.arraycopy(in, 0, request.body, bodyFilled, k);
                    bodyFilled += k;
                    consume(k);
                    if (bodyFilled < request.body.length) {
                        return;
                    }
                    dispatch(now);
                    return;
                default:
                    return;
            }
        }
    }

    private void consume(int n) {
        if (n == 0) {
            return;
        }
        System.arraycopy(in, n, in, 0, filled - n);
        filled -= n;
    }

    private void dispatch(long now) {
        state = State.HANDLING;
        since = now;
        loop.routes.handle(this, request, now);
    }

    /** Sends the response to the current request (on the loop's thread); keeps the connection unless told. */
    void respond(HttpResponse response, long now) {
        if (state != State.HANDLING) {
            return; // closed meanwhile
        }
        boolean keepAlive = request.keepAlive && !inputEnded;
        send(response.serialize(!request.method.equals("HEAD"), keepAlive, loop.extraHeaders()), !keepAlive, now);
    }

    /** Answers with an error status, counts it, and closes once the answer is out. */
    void refuse(HttpResponse response, String reason, long now) {
        if (state == State.CLOSED || state == State.LINGER || state == State.WRITING) {
            return;
        }
        loop.metrics.refused(reason);
        boolean withBody = request == null || !request.method.equals("HEAD") || state != State.HANDLING;
        loop.markActive(this);
        send(response.serialize(withBody, false, loop.extraHeaders()), true, now);
    }

    private void send(byte[] bytes, boolean close, long now) {
        out = ByteBuffer.wrap(bytes);
        closeAfterWrite = close;
        state = State.WRITING;
        since = now;
        try {
            if (transport.write(out)) {
                responseDone(now);
            }
        } catch (IOException | RuntimeException gone) {
            close();
        }
        updateInterest();
    }

    private void responseDone(long now) {
        out = null;
        request = null;
        if (closeAfterWrite) {
            transport.shutdownOutput();
            state = State.LINGER;
            since = now;
            lingered = 0;
            in = null;
            filled = 0;
            return;
        }
        state = State.IDLE;
        since = now;
        loop.markIdle(this);
        if (filled == 0) {
            in = null; // an idle connection holds no buffer
        }
        transport.release();
        loop.resume(this); // a pipelined request may be waiting, here or decrypted inside the TLS transport
    }

    /** Goes on with buffered bytes after a response (on the loop's thread, never inside another event). */
    void resume(long now) throws IOException {
        if (state != State.IDLE) {
            return;
        }
        try {
            process(now);
        } catch (HttpRequest.BadRequest bad) {
            refuse(HttpResponse.text(bad.status, bad.getMessage() + "\n"), bad.reason, now);
            return;
        }
        onReadable(now);
        updateInterest();
    }

    /** Reads and drops what a refused client still sends, until it closes or the limit. */
    private void linger() {
        ByteBuffer scratch = loop.scratch;
        try {
            while (true) {
                scratch.clear();
                int n = channel.read(scratch);
                if (n < 0 || (lingered += Math.max(n, 0)) > LINGER_BYTES) {
                    close();
                    return;
                }
                if (n == 0) {
                    return;
                }
            }
        } catch (IOException | RuntimeException gone) {
            close();
        }
    }

    private void writePlainAndClose(String text) {
        try {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
            channel.shutdownOutput();
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
        state = State.LINGER;
        since = loop.now();
        lingered = 0;
        loop.markActive(this);
    }

    /** Called by the sweep: closes or refuses a connection past its state's deadline. */
    void checkDeadline(long now) {
        long age = now - since;
        switch (state) {
            case IDLE:
                if (age > loop.idleTimeoutNanos) {
                    loop.metrics.closed(ListenerMetrics.IDLE_TIMEOUT);
                    close();
                }
                return;
            case HEAD:
            case BODY:
                if (age > loop.headTimeoutNanos) {
                    if (transport instanceof TlsTransport && ((TlsTransport) transport).midHandshake()) {
                        loop.metrics.refused(ListenerMetrics.HEAD_TIMEOUT); // no HTTP to answer in yet
                        close();
                    } else {
                        refuse(HttpResponse.text(408, "the request took longer than "
                                + loop.headTimeoutNanos / 1_000_000 + " ms to arrive\n"), ListenerMetrics.HEAD_TIMEOUT, now);
                    }
                }
                return;
            case WRITING:
                if (age > ListenerLoop.WRITE_TIMEOUT_NANOS) {
                    loop.metrics.closed(ListenerMetrics.WRITE_TIMEOUT);
                    close();
                }
                return;
            case LINGER:
                if (age > ListenerLoop.LINGER_NANOS) {
                    close();
                }
                return;
            default:
        }
    }

    void updateInterest() {
        if (state == State.CLOSED || key == null || !key.isValid()) {
            return;
        }
        int ops = 0;
        if (state == State.WRITING || transport.pendingOutput()) {
            ops = SelectionKey.OP_WRITE;
        } else if (reading() || state == State.LINGER) {
            ops = SelectionKey.OP_READ;
        }
        key.interestOps(ops);
    }

    void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        in = null;
        out = null;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed either way
        }
        loop.closed(this);
    }
}

package dev.coderd.metrics.exporter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A TLS connection on the JDK's {@link SSLEngine}, non-blocking: {@link #read} moves the handshake as far as
 * the bytes at hand allow and hands out application bytes; records the handshake wants to send wait in
 * {@code netOut} until the socket takes them ({@link #pendingOutput}). Delegated tasks (signatures) run inline
 * on the listener's thread: they take a millisecond or two, and every handshake is bounded by the head deadline.
 * Buffers are allocated when bytes flow and dropped when empty, so an idle TLS connection holds none.
 */
final class TlsTransport implements Transport {
    /** The first bytes on the TLS port were a plain HTTP request; the caller answers it in plain text. */
    static final class PlainHttpOnTlsPort extends SSLException {
        PlainHttpOnTlsPort() {
            super("plain HTTP request on the TLS port");
        }
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    private ByteBuffer netIn;  // write mode: received, not yet unwrapped
    private ByteBuffer netOut; // read mode: wrapped, not yet sent
    private ByteBuffer appIn;  // read mode: unwrapped, not yet handed out
    private boolean inboundDone;
    private boolean anyBytes;
    private boolean established;

    TlsTransport(SocketChannel channel, SSLEngine engine) {
        this.channel = channel;
        this.engine = engine;
    }

    /** True once bytes arrived but before the handshake finished: the head deadline runs. */
    boolean midHandshake() {
        return anyBytes && !established;
    }

    SSLEngine engine() {
        return engine;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = 0;
        while (true) {
            n += drain(dst);
            if (!dst.hasRemaining() || !flush()) {
                return n;
            }
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
                continue;
            }
            if (hs == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
                wrap(EMPTY);
                continue;
            }
            if (inboundDone) {
                return n > 0 ? n : -1;
            }
            if (unwrap()) {
                continue;
            }
            if (netIn == null) {
                netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            }
            int r = channel.read(netIn);
            if (r < 0 && !anyBytes) {
                return -1; // connected and left (a TCP probe): no handshake to fail
            }
            if (r < 0) {
                inboundDone = true;
                try {
                    engine.closeInbound();
                } catch (SSLException noCloseNotify) {
                    // the peer closed without close_notify: nothing of ours depends on it
                }
                continue;
            }
            if (r == 0) {
                return n;
            }
            if (!anyBytes) {
                anyBytes = true;
                byte first = netIn.get(0);
                if (first >= 'A' && first <= 'Z') { // a TLS record starts with 20-23; "GET /..." with a letter
                    throw new PlainHttpOnTlsPort();
                }
            }
        }
    }

    /** True when the engine made progress (or wants to send or compute): the caller loops. */
    private boolean unwrap() throws SSLException {
        if (netIn == null || netIn.position() == 0) {
            return false;
        }
        if (appIn == null) {
            appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            appIn.flip();
        }
        netIn.flip();
        appIn.compact();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, appIn);
        } finally {
            appIn.flip();
            netIn.compact();
        }
        noteFinished(r);
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW:
                int packet = engine.getSession().getPacketBufferSize();
                if (netIn.capacity() < packet) {
                    ByteBuffer bigger = ByteBuffer.allocate(packet);
                    netIn.flip();
                    bigger.put(netIn);
                    netIn = bigger;
                }
                return false;
            case BUFFER_OVERFLOW:
                ByteBuffer bigger = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() + appIn.remaining());
                bigger.put(appIn).flip();
                appIn = bigger;
                return true;
            case CLOSED:
                inboundDone = true;
                return true;
            default:
                return r.bytesConsumed() > 0 || r.bytesProduced() > 0
                        || r.getHandshakeStatus() == HandshakeStatus.NEED_TASK || r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP;
        }
    }

    private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
        if (netOut == null) {
            netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            netOut.flip();
        }
        netOut.compact();
        SSLEngineResult r;
        try {
            r = engine.wrap(src, netOut);
        } finally {
            netOut.flip();
        }
        noteFinished(r);
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            ByteBuffer bigger = ByteBuffer.allocate(engine.getSession().getPacketBufferSize() + netOut.remaining());
            bigger.put(netOut).flip();
            netOut = bigger;
        }
        return r;
    }

    private void noteFinished(SSLEngineResult r) {
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            established = true;
        }
    }

    private int drain(ByteBuffer dst) {
        if (appIn == null || !appIn.hasRemaining()) {
            return 0;
        }
        int k = Math.min(appIn.remaining(), dst.remaining());
        ByteBuffer part = appIn.duplicate();
        part.limit(part.position() + k);
        dst.put(part);
        appIn.position(appIn.position() + k);
        return k;
    }

    private void runTasks() {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }

    @Override
    public boolean write(ByteBuffer src) throws IOException {
        while (true) {
            if (!flush()) {
                return false;
            }
            if (!src.hasRemaining()) {
                return true;
            }
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
                continue;
            }
            SSLEngineResult r = wrap(src);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("the TLS connection is closed");
            }
            if (r.getStatus() == SSLEngineResult.Status.OK && r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                throw new SSLException("the TLS engine cannot send now (" + r.getHandshakeStatus() + ")");
            }
        }
    }

    @Override
    public boolean pendingOutput() {
        return netOut != null && netOut.hasRemaining();
    }

    @Override
    public boolean flush() throws IOException {
        while (netOut != null && netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void shutdownOutput() {
        try {
            engine.closeOutbound();
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                wrap(EMPTY); // close_notify, or the alert of a failed handshake
            }
            flush();
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
        try {
            channel.shutdownOutput();
        } catch (IOException | RuntimeException ignored) {
            // the peer is gone already
        }
    }

    @Override
    public void release() {
        if (netIn != null && netIn.position() == 0) {
            netIn = null;
        }
        if (appIn != null && !appIn.hasRemaining()) {
            appIn = null;
        }
        if (netOut != null && !netOut.hasRemaining()) {
            netOut = null;
        }
    }
}

package dev.coderd.metrics.exporter;

import java.io.IOException;
import java.nio.ByteBuffer;

/** The bytes of one connection, plain or through TLS, always non-blocking. */
interface Transport {
    /** Reads what is available into {@code dst}: the count (0: nothing yet), or -1 at the end of the stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Writes {@code src} as far as the socket takes it; true when it and everything buffered below are out. */
    boolean write(ByteBuffer src) throws IOException;

    /** True while bytes of the transport's own (TLS handshake records) wait for the socket to take them. */
    boolean pendingOutput();

    /** Writes such bytes; true when none are left. */
    boolean flush() throws IOException;

    /** Ends our side: a TLS close_notify, then a TCP half-close. Best effort, never throws. */
    void shutdownOutput();

    /** Drops buffers that hold nothing, so an idle connection costs its socket and little else. */
    void release();
}

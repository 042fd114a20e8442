package dev.coderd.metrics.attach;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.bytebuddy.agent.VirtualMachine;

/**
 * The HotSpot attach protocol without the {@code jdk.attach} module (a JRE image, {@code jlink}ed runtimes):
 * byte-buddy-agent's {@link VirtualMachine.ForHotSpot} speaks the protocol; this gives it the transport,
 * a UNIX domain socket of the JDK's own NIO (JDK 16+), where byte-buddy-agent would need JNA.
 *
 * <pre>
 * VirtualMachine vm = VirtualMachine.ForHotSpot.attach("12345", new HotSpotSocket(12345));
 * </pre>
 *
 * <p>Linux only, and the target in this process's PID namespace (the socket is looked for under the target's
 * own root, {@code tmp} in the {@code root} link of its {@code /proc} entry, so a target in another mount
 * namespace of the same PID namespace works).
 * The signal that wakes the target's attach listener is sent by the {@code kill} command.
 */
final class HotSpotSocket extends VirtualMachine.ForHotSpot.Connection.Factory.ForSocketFile {
    private final long pid;

    HotSpotSocket(long pid) {
        super(String.join("/", "/proc", Long.toString(pid), "root", "tmp"), 100, 100, TimeUnit.MILLISECONDS); // 10 s to answer
        this.pid = pid;
    }

    @Override
    protected void kill(String processId, int signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, processId).redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal pid " + processId + " (no kill command?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected VirtualMachine.ForHotSpot.Connection doConnect(File socket) {
        // the trigger file has done its work once the socket exists (the JDK's own client removes it too)
        try {
            Files.deleteIfExists(Path.of("/proc/" + pid + "/cwd/.attach_pid" + pid));
        } catch (IOException | RuntimeException ignored) {
            // not ours to worry about: the JVM ignores a stale trigger
        }
        return new Channel(socket.toPath());
    }

    /** One socket per command, as the protocol wants; a {@code load}'s return code checked when it closes. */
    private static final class Channel implements VirtualMachine.ForHotSpot.Connection {
        private final Path socket;

        Channel(Path socket) {
            this.socket = socket;
        }

        @Override
        public Response execute(String protocol, String... arguments) throws IOException {
            Response response = new VirtualMachine.ForHotSpot.Connection.OnPersistentByteChannel<SocketChannel>() {
                @Override
                protected SocketChannel connect() throws IOException {
                    return SocketChannel.open(UnixDomainSocketAddress.of(socket));
                }

                @Override
                protected void close(SocketChannel channel) throws IOException {
                    channel.close();
                }

                @Override
                protected void write(SocketChannel channel, byte[] buffer) throws IOException {
                    ByteBuffer b = ByteBuffer.wrap(buffer);
                    while (b.hasRemaining()) {
                        channel.write(b);
                    }
                }

                @Override
                protected int read(SocketChannel channel, byte[] buffer) throws IOException {
                    return channel.read(ByteBuffer.wrap(buffer));
                }

                @Override
                public void close() {
                    // each command opened and closes its own channel
                }
            }.execute(protocol, arguments);
            return "load".equals(arguments.length > 0 ? arguments[0] : null) ? new LoadResponse(response) : response;
        }

        @Override
        public void close() {
            // nothing held between commands
        }
    }

    /**
     * A {@code load} answers {@code 0} (the command ran) and then {@code return code: N}, the agent's own result;
     * byte-buddy-agent reads only the first. The JDK's client maps N as here.
     */
    private static final class LoadResponse implements VirtualMachine.ForHotSpot.Connection.Response {
        private static final Pattern RETURN_CODE = Pattern.compile("return code: (-?\\d+)");
        private final VirtualMachine.ForHotSpot.Connection.Response delegate;

        LoadResponse(VirtualMachine.ForHotSpot.Connection.Response delegate) {
            this.delegate = delegate;
        }

        @Override
        public int read(byte[] buffer) throws IOException {
            return delegate.read(buffer);
        }

        @Override
        public void close() throws IOException {
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            byte[] buffer = new byte[256];
            for (int n = delegate.read(buffer); n != -1; n = delegate.read(buffer)) {
                rest.write(buffer, 0, n);
            }
            delegate.close();
            Matcher m = RETURN_CODE.matcher(rest.toString(StandardCharsets.UTF_8));
            int code = m.find() ? Integer.parseInt(m.group(1)) : 0;
            switch (code) {
                case 0: return;
                case 100: throw new IOException("the JVM could not open the agent jar or found no Agent-Class in it");
                case 101: throw new IOException("the JVM could not add the agent jar to its class path");
                case 102: throw new IOException("the agent jar was loaded but its agentmain failed");
                default: throw new IOException("the JVM failed to load the agent (return code " + code + ")");
            }
        }
    }
}

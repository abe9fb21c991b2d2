package dev.weft.io;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.io.internal.Blocking;
import dev.weft.io.internal.IoDrivers;
import dev.weft.io.spi.StreamSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A connected Unix domain stream socket (JDK {@link UnixDomainSocketAddress}) on the current
 * runtime's I/O driver: the same traits as {@link TcpStream} ({@link AsyncIo}, {@link OwnedIo}),
 * so a protocol written against them, with its middleware ({@link Compression}, TLS),
 * runs over it unchanged. In a sequential task it reads like a blocking socket; from a poll task,
 * through {@link #pollRead}/{@link #pollWrite} or {@link #connectFuture}.
 *
 * {@snippet :
 * try (UnixStream s = UnixStream.connect(Path.of("/run/app.sock"))) {
 *     Io.writeAll(s, IoBuf.wrap("STATUS\n".getBytes(US_ASCII)));
 *     s.shutdownOutput();                                  // the server reads to its end
 *     IoBuf reply = Io.readToEnd(s, 64 * 1024);
 * }
 * }
 *
 * <p>In a task dump, a task waiting on one names its path ({@code UnixStream[/run/app.sock]}):
 * seed 004's "Barbara tries unix socket" is a hang on such a read that nothing showed. One
 * reader and one writer at a time, on any runtime; the socket belongs to the runtime that was
 * current when it connected.
 */
public final class UnixStream implements AsyncIo, OwnedIo {
    private final StreamSocket socket;

    UnixStream(StreamSocket socket) {
        this.socket = socket;
    }

    /** Connects to the socket file at {@code path}, parking the task until connected. */
    public static UnixStream connect(Path path) throws IOException {
        return connect(UnixDomainSocketAddress.of(path));
    }

    /**
     * Connects to {@code address}, parking the task until connected.
     *
     * @throws IOException if no socket listens there (the message names the path)
     */
    public static UnixStream connect(UnixDomainSocketAddress address) throws IOException {
        return Blocking.await(connectFuture(address));
    }

    /** {@link #connect} as a future that starts at its first poll; dropping it closes the half-made socket. */
    public static Future<UnixStream> connectFuture(UnixDomainSocketAddress address) {
        Objects.requireNonNull(address, "address");
        return new Future<>() {
            private Future<StreamSocket> connecting;

            @Override
            public Poll<UnixStream> poll(Context cx) {
                try {
                    if (connecting == null) {
                        connecting = IoDrivers.current().connectUnix(address);
                    }
                    Poll<StreamSocket> p = connecting.poll(cx);
                    if (p.isPending()) {
                        return Poll.pending();
                    }
                    connecting = null;
                    return Poll.ready(new UnixStream(p.value()));
                } catch (UncheckedIOException e) {
                    drop();
                    String why = String.valueOf(e.getCause().getMessage());
                    boolean nobody = why.contains("No such file") || why.contains("refused");    // ENOENT, ECONNREFUSED
                    java.net.ConnectException named = new java.net.ConnectException("cannot connect to the Unix socket "
                            + address.getPath() + ": " + why + (nobody ? " (is its server running?)" : ""));
                    named.initCause(e.getCause());
                    throw new UncheckedIOException(named.getMessage(), named);
                } catch (RuntimeException e) {
                    drop();
                    throw e;
                }
            }

            @Override
            public void drop() {
                if (connecting != null) {
                    Future<StreamSocket> c = connecting;
                    connecting = null;
                    c.drop();
                }
            }

            @Override
            public String toString() {
                return "connect(unix:" + address.getPath() + ")";
            }
        };
    }

    @Override
    public int pollRead(Context cx, IoBuf dst) {
        return socket.pollRead(cx, dst);
    }

    @Override
    public int pollWrite(Context cx, IoBuf src) {
        return socket.pollWrite(cx, src);
    }

    @Override
    public boolean pollFlush(Context cx) {
        return socket.pollFlush(cx);
    }

    @Override
    public boolean pollShutdown(Context cx) {
        return socket.pollShutdown(cx);
    }

    @Override
    public Future<ReadResult> readOwned(IoBuf buf) {
        return socket.readOwned(buf);
    }

    @Override
    public Future<WriteResult> writeOwned(IoBuf buf) {
        return socket.writeOwned(buf);
    }

    @Override
    public Future<WriteResult> writeAllOwned(IoBuf buf) {
        return socket.writeAllOwned(buf);
    }

    /** Further reads see the end of the stream. */
    public void shutdownInput() throws IOException {
        socket.shutdownInput();
    }

    /** The peer reads the end of the stream after the bytes already written. */
    @Override
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** This end's address (unnamed, an empty path, for the connecting side). */
    public UnixDomainSocketAddress localAddress() throws IOException {
        return (UnixDomainSocketAddress) socket.localAddress();
    }

    /** The peer's address (the listener's path, seen from the connecting side). */
    public UnixDomainSocketAddress remoteAddress() throws IOException {
        return (UnixDomainSocketAddress) socket.remoteAddress();
    }

    public boolean isOpen() {
        return socket.isOpen();
    }

    /** Closes at once; a task waiting on the socket gets an error. Idempotent. */
    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}

package dev.weft.io;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Stream;
import dev.weft.io.internal.Blocking;
import dev.weft.io.internal.IoDrivers;
import dev.weft.io.spi.ListenSocket;
import dev.weft.io.spi.StreamSocket;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A Unix domain socket server on the current runtime's I/O driver: {@link TcpListener}'s shape
 * for a socket file. {@link #close()} deletes the socket file it bound, so the next run binds
 * again without an "address already in use"; a file left by a crashed run is reported at
 * {@link #bind} with what to do.
 *
 * {@snippet :
 * try (UnixListener server = UnixListener.bind(Path.of("/run/app.sock"))) {
 *     while (true) {
 *         UnixStream client = server.accept();
 *         Weft.spawn(() -> serve(client));
 *     }
 * }
 * }
 */
public final class UnixListener implements AutoCloseable {
    private final ListenSocket socket;
    private final Path path;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private UnixListener(ListenSocket socket, Path path) {
        this.socket = socket;
        this.path = path;
    }

    /** Binds a socket file at {@code path} (it must not exist), with a backlog of 1024. */
    public static UnixListener bind(Path path) throws IOException {
        return bind(UnixDomainSocketAddress.of(path), 1024);
    }

    /**
     * Binds {@code address} with the given backlog on the current runtime's driver.
     *
     * @throws IOException if a file is already at the path (the message says how to proceed)
     */
    public static UnixListener bind(UnixDomainSocketAddress address, int backlog) throws IOException {
        Objects.requireNonNull(address, "address");
        Path path = address.getPath();
        try {
            return new UnixListener(IoDrivers.current().listenUnix(address, backlog), path);
        } catch (java.net.BindException e) {
            if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                java.net.BindException named = new java.net.BindException("cannot bind the Unix socket " + path
                        + ": a file is already there (a server running, or the socket file of an earlier run that"
                        + " did not close its listener): stop that server, or delete the file");
                named.initCause(e);
                throw named;
            }
            throw e;
        }
    }

    /** The socket file's address. */
    public UnixDomainSocketAddress localAddress() {
        return UnixDomainSocketAddress.of(path);
    }

    /** The next connection; parks the task until one arrives. */
    public UnixStream accept() throws IOException {
        return Blocking.await(acceptFuture());
    }

    /** The next connection, as a future; cancelling it loses no connection. */
    public Future<UnixStream> acceptFuture() {
        return new dev.weft.internal.future.NamedFuture<>("accept", this, this::pollAccept);
    }

    /** Poll form of {@link #accept()}. */
    public Poll<UnixStream> pollAccept(Context cx) {
        Poll<StreamSocket> p = socket.pollAccept(cx);
        return p.isPending() ? Poll.pending() : Poll.ready(new UnixStream(p.value()));
    }

    /** The connections as they arrive, until the listener is closed. */
    public Stream<UnixStream> incoming() {
        return this::pollAccept;
    }

    /**
     * Stops listening and deletes the socket file, also when the runtime closed first (which
     * closed the socket). Idempotent; never throws.
     */
    @Override
    public void close() {
        socket.close();
        if (closed.compareAndSet(false, true)) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // the listener is closed; a file left behind is reported by the next bind
            }
        }
    }

    @Override
    public String toString() {
        return "UnixListener[" + path + (socket.isOpen() ? "" : ", closed") + "]";
    }
}

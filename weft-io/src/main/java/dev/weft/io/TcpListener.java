package dev.weft.io;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Stream;
import dev.weft.io.internal.Blocking;
import dev.weft.io.internal.HostLookup;
import dev.weft.io.internal.IoDrivers;
import dev.weft.io.spi.IoDriver;
import dev.weft.io.spi.ListenSocket;
import dev.weft.io.spi.StreamSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * A TCP server socket on the current runtime's I/O driver. In a sequential task it reads like
 * {@code java.net.ServerSocket}; from a poll task, {@link #acceptFuture()} or {@link #incoming()}.
 *
 * {@snippet class="dev.weft.io.snippets.NetSnippets" region="listener"}
 *
 * <p>The listener belongs to the runtime that was current when it was bound: that runtime's
 * driver reports its readiness. Tasks on any runtime may use it. Accepted streams belong to the
 * same runtime. One task accepts at a time (a second concurrent acceptor replaces the first's
 * wake-up registration).
 */
public final class TcpListener implements AutoCloseable {
    private final ListenSocket socket;

    private TcpListener(ListenSocket socket) {
        this.socket = socket;
    }

    /** Binds to {@code address} (port 0 picks a free port) with a backlog of 1024. */
    public static TcpListener bind(SocketAddress address) throws IOException {
        return bind(address, 1024);
    }

    /**
     * Binds to {@code host:port} on the current runtime. A host name is looked up on the blocking
     * pool (the caller parks; from a poll, pass an IP literal or a resolved address).
     */
    public static TcpListener bind(String host, int port) throws IOException {
        Objects.requireNonNull(host, "host");
        return bind(InetSocketAddress.createUnresolved(host, port));
    }

    /**
     * Binds to {@code address} with the given backlog, on the current runtime's driver. An
     * unresolved address is looked up on the blocking pool first (the caller parks).
     *
     * @throws IllegalStateException outside a runtime, or from a poll when a host name must be looked up
     */
    public static TcpListener bind(SocketAddress address, int backlog) throws IOException {
        return bind(address, backlog, IoDrivers.current());
    }

    static TcpListener bind(SocketAddress address, int backlog, IoDriver driver) throws IOException {
        SocketAddress local = HostLookup.resolve(address, "TcpListener.bind");
        if (!(local instanceof InetSocketAddress inet)) {
            throw new IllegalArgumentException("TcpListener binds to an InetSocketAddress, got " + local);
        }
        return new TcpListener(driver.listen(inet, backlog));
    }

    /** The address it listens on (with the port chosen if bound to port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.localAddress();
    }

    /** The next connection; parks the task until one arrives. */
    public TcpStream accept() throws IOException {
        return Blocking.await(acceptFuture());
    }

    /**
     * The next connection, as a future. Cancelling it loses no connection: the next accept
     * returns it.
     */
    public Future<TcpStream> acceptFuture() {
        return new dev.weft.internal.future.NamedFuture<>("accept", this, this::pollAccept);
    }

    /** Poll form of {@link #accept()}: a connection, or pending with the waker registered. */
    public Poll<TcpStream> pollAccept(Context cx) {
        Poll<StreamSocket> p = socket.pollAccept(cx);
        return p.isPending() ? Poll.pending() : Poll.ready(new TcpStream(p.value()));
    }

    /** The connections as they arrive, until the listener is closed (then the stream fails). */
    public Stream<TcpStream> incoming() {
        return this::pollAccept;
    }

    /**
     * Stops listening; a task waiting in {@link #accept()} gets an error. Returns once the port is
     * free, so it can be bound again at once (on NIO the driver thread closes the channel and the
     * caller waits for it, parked, at most 5 s; see {@code NioDriver.closeAndWait}). A cancelled task
     * still waits: closing completes. Idempotent; never throws.
     */
    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return "TcpListener[" + (socket.isOpen() ? localAddress() : "closed") + "]";
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }
}

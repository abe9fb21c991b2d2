package dev.weft.io;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.io.internal.Blocking;
import dev.weft.io.internal.HostLookup;
import dev.weft.io.internal.IoDrivers;
import dev.weft.io.spi.DatagramSocket;
import dev.weft.io.spi.IoDriver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * A UDP socket on the current runtime's I/O driver (NIO, or io_uring where the runtime chose it).
 * Each receive takes one datagram into the caller's buffer (at its position; a datagram longer than
 * the room left is truncated, as with {@link java.nio.channels.DatagramChannel}); each send sends
 * one datagram from the buffer's remaining bytes.
 *
 * {@snippet class="dev.weft.io.snippets.NetSnippets" region="udp"}
 *
 * <p>One receiver and one sender at a time. Cancelling a receive loses no datagram: the next
 * receive gets it (on io_uring the kernel receives into the socket's own buffer, never the
 * caller's). After {@link #close()}, receives and sends
 * fail with {@link java.nio.channels.ClosedChannelException}.
 */
public final class UdpSocket implements AutoCloseable {
    private final DatagramSocket socket;

    private UdpSocket(DatagramSocket socket) {
        this.socket = socket;
    }

    /**
     * Binds to {@code address} (port 0 picks a free port) on the current runtime. An unresolved
     * address is looked up on the blocking pool first (the caller parks).
     */
    public static UdpSocket bind(SocketAddress address) throws IOException {
        return bind(address, IoDrivers.current());
    }

    static UdpSocket bind(SocketAddress address, IoDriver driver) throws IOException {
        SocketAddress local = HostLookup.resolve(address, "UdpSocket.bind");
        if (!(local instanceof InetSocketAddress inet)) {
            throw new IllegalArgumentException("UdpSocket binds to an InetSocketAddress, got " + local);
        }
        return new UdpSocket(driver.bindUdp(inet));
    }

    /** Binds to {@code host:port}; a host name is looked up on the blocking pool (the caller parks). */
    public static UdpSocket bind(String host, int port) throws IOException {
        Objects.requireNonNull(host, "host");
        return bind(InetSocketAddress.createUnresolved(host, port));
    }

    /**
     * Only exchanges datagrams with {@code peer} from now on, so {@link #send(IoBuf)} needs no
     * address. An unresolved address is looked up on the blocking pool first (the caller parks).
     */
    public UdpSocket connect(SocketAddress peer) throws IOException {
        SocketAddress resolved = HostLookup.resolve(Objects.requireNonNull(peer, "peer"), "UdpSocket.connect");
        if (!(resolved instanceof InetSocketAddress inet)) {
            throw new IllegalArgumentException("UdpSocket connects to an InetSocketAddress, got " + resolved);
        }
        socket.connect(inet);
        return this;
    }

    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    // ------------------------------------------------------------------ receive

    /** Receives one datagram into {@code dst}, parking the task until one comes; returns its sender. */
    public SocketAddress receive(IoBuf dst) throws IOException {
        return Blocking.await(receiveFuture(dst));
    }

    /** Future form of {@link #receive}. */
    public Future<SocketAddress> receiveFuture(IoBuf dst) {
        Objects.requireNonNull(dst, "dst");
        return new dev.weft.internal.future.NamedFuture<>("receive", this, cx -> pollReceive(cx, dst));
    }

    /** Poll form of {@link #receive}: the sender, or pending with the waker registered. */
    public Poll<SocketAddress> pollReceive(Context cx, IoBuf dst) {
        return socket.pollReceive(cx, dst);
    }

    // ------------------------------------------------------------------ send

    /** Sends {@code src}'s remaining bytes as one datagram to {@code to}; parks while the socket's buffer is full. */
    public void sendTo(IoBuf src, SocketAddress to) throws IOException {
        Objects.requireNonNull(to, "to");
        Blocking.await(sendFuture(src, to));
    }

    /** Sends {@code src}'s remaining bytes as one datagram to the {@linkplain #connect connected} peer. */
    public void send(IoBuf src) throws IOException {
        if (!socket.isConnected()) {
            throw new IllegalStateException("this UdpSocket is not connected: call connect(peer) first, or use sendTo(buf, address)");
        }
        Blocking.await(sendFuture(src, null));
    }

    /**
     * Future form of {@link #sendTo} ({@code to} null: the connected peer).
     *
     * @throws IllegalArgumentException if {@code to} is an unresolved address (look the host up
     *         once, e.g. with {@link #connect}, rather than for every datagram)
     */
    public Future<Void> sendFuture(IoBuf src, SocketAddress to) {
        Objects.requireNonNull(src, "src");
        if (to != null && HostLookup.needsLookup(to)) {
            throw new IllegalArgumentException("cannot send a datagram to " + to + ": the address is not looked up (it "
                    + "was made with InetSocketAddress.createUnresolved). Look the host up once (UdpSocket.connect does, "
                    + "on the blocking pool) and send to the resolved address");
        }
        if (to != null && !(to instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("UdpSocket sends to an InetSocketAddress, got " + to);
        }
        return socket.send(src, (InetSocketAddress) to);
    }

    /**
     * Closes the socket; a task waiting on it gets an error. Returns once the port is free, as
     * {@link TcpListener#close()} does. Idempotent; never throws.
     */
    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return "UdpSocket[" + (socket.isOpen() ? localAddress() : "closed") + "]";
    }
}

package dev.weft.io.spi;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.io.IoBuf;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** A UDP socket as a driver serves it to {@link dev.weft.io.UdpSocket}. */
public interface DatagramSocket {
    InetSocketAddress localAddress();

    /** Only exchanges datagrams with {@code peer} (resolved) from now on. */
    void connect(InetSocketAddress peer) throws IOException;

    boolean isConnected();

    /**
     * One datagram into {@code dst} (truncated to its room), and its sender; or pending with the
     * waker registered. Abandoning a pending receive loses no datagram: the next receive gets it.
     */
    Poll<SocketAddress> pollReceive(Context cx, IoBuf dst);

    /**
     * Sends {@code src}'s remaining bytes as one datagram to {@code to} (resolved; null: the
     * connected peer), advancing {@code src} once sent.
     */
    Future<Void> send(IoBuf src, InetSocketAddress to);

    boolean isOpen();

    /** Closes; returns once the port can be bound again. Idempotent, never throws. */
    void close();
}

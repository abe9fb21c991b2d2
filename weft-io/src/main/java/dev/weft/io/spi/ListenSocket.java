package dev.weft.io.spi;

import dev.weft.Context;
import dev.weft.Poll;
import java.net.SocketAddress;

/** A listening TCP socket as a driver serves it to {@link dev.weft.io.TcpListener}. */
public interface ListenSocket {
    /** The bound address (with the port chosen if bound to port 0; the path of a Unix socket). */
    SocketAddress localAddress();

    /**
     * The next connection, or pending with the waker registered. Abandoning a pending accept loses
     * no connection: the next accept returns it. One acceptor at a time.
     *
     * @throws java.io.UncheckedIOException on an error, or once closed
     */
    Poll<StreamSocket> pollAccept(Context cx);

    boolean isOpen();

    /** Stops listening; returns once the port can be bound again. Idempotent, never throws. */
    void close();
}

package dev.weft.io.spi;

import dev.weft.io.AsyncIo;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A connected TCP socket as a driver serves it to {@link dev.weft.io.TcpStream}: the readiness
 * traits with their contract (a read abandoned while pending loses no byte; one reader and one
 * writer at a time), plus the socket's options and lifecycle.
 */
public interface StreamSocket extends AsyncIo {
    void setNoDelay(boolean on) throws IOException;

    void setKeepAlive(boolean on) throws IOException;

    /** Further reads see end-of-stream. */
    void shutdownInput() throws IOException;

    /** The peer reads end-of-stream after the bytes already written (flushed first where the socket buffers). */
    @Override
    void shutdownOutput() throws IOException;

    /** Closes with a reset (RST): the kernel drops unread data at once. */
    void abort();

    InetSocketAddress localAddress() throws IOException;

    InetSocketAddress remoteAddress() throws IOException;

    boolean isOpen();

    /** Closes; a task waiting on the socket gets an error. Idempotent, never throws. */
    @Override
    void close();
}

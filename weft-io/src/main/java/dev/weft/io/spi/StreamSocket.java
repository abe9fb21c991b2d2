package dev.weft.io.spi;

import dev.weft.Future;
import dev.weft.io.AsyncIo;
import dev.weft.io.IoBuf;
import dev.weft.io.OwnedIo;
import dev.weft.io.ReadResult;
import dev.weft.io.WriteResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A connected TCP socket as a driver serves it to {@link dev.weft.io.TcpStream}: the readiness
 * traits with their contract (a read abandoned while pending loses no byte; one reader and one
 * writer at a time), plus the socket's options and lifecycle.
 */
public interface StreamSocket extends AsyncIo, OwnedIo {

    /**
     * An owned read. The default copies through {@link #pollRead} ({@link OwnedIo#readVia}); a
     * completion driver has the kernel read into the buffer itself ({@link KernelLoans}).
     */
    @Override
    default Future<ReadResult> readOwned(IoBuf buf) {
        return OwnedIo.readVia(this, buf);
    }

    /** An owned write; the default copies through {@link #pollWrite}. */
    @Override
    default Future<WriteResult> writeOwned(IoBuf buf) {
        return OwnedIo.writeVia(this, buf);
    }

    /** An owned write of every byte; the default copies through {@link #pollWrite}. */
    @Override
    default Future<WriteResult> writeAllOwned(IoBuf buf) {
        return OwnedIo.writeAllVia(this, buf);
    }
    void setNoDelay(boolean on) throws IOException;

    void setKeepAlive(boolean on) throws IOException;

    /** Further reads see end-of-stream. */
    void shutdownInput() throws IOException;

    /** The peer reads end-of-stream after the bytes already written (flushed first where the socket buffers). */
    @Override
    void shutdownOutput() throws IOException;

    /** Closes with a reset (RST): the kernel drops unread data at once. */
    void abort();

    /** The local address: an {@link InetSocketAddress} for TCP, a {@link java.net.UnixDomainSocketAddress} for a Unix socket. */
    SocketAddress localAddress() throws IOException;

    /** The peer's address, of the same kind as {@link #localAddress()}. */
    SocketAddress remoteAddress() throws IOException;

    boolean isOpen();

    /** Closes; a task waiting on the socket gets an error. Idempotent, never throws. */
    @Override
    void close();
}

package dev.weft.io;

import java.io.Closeable;

/**
 * A duplex byte stream: a connection, a pipe end. One task may read while another writes.
 * {@link #close()} releases it at once, without flushing and without parking (call
 * {@link #flush()} or {@link #shutdownOutput()} first to push out buffered bytes).
 */
public interface AsyncIo extends AsyncRead, AsyncWrite, Closeable {
}

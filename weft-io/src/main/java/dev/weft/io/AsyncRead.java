package dev.weft.io;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.io.internal.Blocking;
import java.io.IOException;

/**
 * A source of bytes, read into a buffer the caller keeps (the borrowed-buffer readiness contract,
 * as with NIO channels): implemented once, it works in poll code and in sequential code, on every
 * runtime.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="asyncRead"}
 *
 * <p><b>Return codes</b> (an {@code int}, so a poll never boxes): a count {@code > 0};
 * {@link #EOF}; {@link #PENDING}, after arranging for {@code cx.waker()} to be woken when a read
 * may make progress; {@code 0} only when {@code dst} has no room.
 *
 * <p><b>Cancellation never loses bytes.</b> An implementation takes bytes from its source only in
 * the poll that returns them, and copies them into {@code dst} before returning. So a read that is
 * abandoned while pending (it lost a {@code select}, timed out, or its task was cancelled) has
 * taken nothing: the next read gets every byte.
 *
 * <p><b>Errors</b> are thrown from the poll as {@link java.io.UncheckedIOException} (a poll cannot
 * throw checked exceptions); the sequential {@link #readInto} throws the {@link IOException} itself.
 *
 * <p><b>Threads.</b> One reader at a time; it may run on any thread. A reader and a writer of a
 * duplex stream ({@link AsyncIo}) may run at the same time.
 *
 * <p><b>Writing one.</b> Implement {@link #pollRead}; the other methods follow. Spend one unit of
 * the task's cooperative budget per call ({@link dev.weft.spi.Coop#proceed}) so a source that is
 * always ready still lets other tasks run.
 */
public interface AsyncRead {
    /** End of stream: no byte will ever come. */
    int EOF = -1;
    /** Not ready: the context's waker will be woken. */
    int PENDING = -2;

    /**
     * Reads up to {@code dst.remaining()} bytes into {@code dst} at its position and advances it.
     *
     * @return the count ({@code > 0}), {@link #EOF}, or {@link #PENDING} after arranging for
     *         {@code cx.waker()} to be woken; {@code 0} only when {@code dst} has no room
     * @throws java.io.UncheckedIOException on an I/O error
     */
    int pollRead(Context cx, IoBuf dst);

    /**
     * Reads some bytes into {@code dst}, parking the task until at least one byte, the end of the
     * stream, or an error: {@code InputStream.read(byte[])} for Weft.
     *
     * @return the count ({@code > 0}), {@link #EOF} (-1), or 0 if {@code dst} has no room
     * @throws IOException on an I/O error
     * @throws dev.weft.CancelledException if the task is cancelled while parked (no byte is lost)
     */
    default int readInto(IoBuf dst) throws IOException {
        return Blocking.await(readFuture(dst));
    }

    /** {@link #pollRead} as a future of the count (or {@link #EOF}); cancel-safe. */
    default Future<Integer> readFuture(IoBuf dst) {
        return cx -> {
            int n = pollRead(cx, dst);
            return n == PENDING ? Poll.pending() : Poll.ready(n);
        };
    }
}

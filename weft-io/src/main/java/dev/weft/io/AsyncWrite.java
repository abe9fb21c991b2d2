package dev.weft.io;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.io.internal.Blocking;
import java.io.IOException;

/**
 * A sink of bytes, written from a buffer the caller keeps (the borrowed-buffer readiness
 * contract): implemented once, it works in poll code and in sequential code, on every runtime.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="asyncWrite"}
 *
 * <p>{@link #pollWrite} returns a count ({@code > 0}) or {@link AsyncRead#PENDING} (the one
 * constant both traits share, so a class implementing both sees one {@code PENDING}); it may write fewer bytes
 * than asked ({@link Io#writeAll} loops). {@link #pollFlush} and {@link #pollShutdown} return
 * {@code true} when done and {@code false} after arranging a wake.
 *
 * <p><b>Cancellation never loses track of bytes.</b> A write takes bytes from {@code src} only in
 * the poll that returns their count, and advances {@code src} by exactly that count; an abandoned
 * pending write has taken nothing. After a cancelled {@link Io#writeAll}, {@code src}'s position
 * tells how far it got.
 *
 * <p><b>Errors</b> are thrown from the poll as {@link java.io.UncheckedIOException}; the sequential
 * forms throw the {@link IOException}. One writer at a time.
 */
public interface AsyncWrite {

    /**
     * Writes up to {@code src.remaining()} bytes from {@code src}'s position and advances it.
     *
     * @return the count ({@code > 0}), or {@link AsyncRead#PENDING} after arranging for {@code cx.waker()}
     *         to be woken; {@code 0} only when {@code src} is empty
     * @throws java.io.UncheckedIOException on an I/O error (for instance the peer closed)
     */
    int pollWrite(Context cx, IoBuf src);

    /**
     * Pushes buffered bytes (of this writer and the layers below) to their destination.
     *
     * @return true when flushed; false after arranging for {@code cx.waker()} to be woken
     */
    boolean pollFlush(Context cx);

    /**
     * Flushes, then half-closes the write side: the reader at the other end sees the end of
     * stream after the bytes already written; reading from this side still works.
     *
     * @return true when done; false after arranging for {@code cx.waker()} to be woken
     */
    boolean pollShutdown(Context cx);

    /**
     * Writes some bytes from {@code src}, parking until at least one byte is written:
     * {@code OutputStream.write} for Weft, except that it may write only part of {@code src}
     * (use {@link Io#writeAll} for all of it).
     *
     * @return the count written ({@code > 0}; 0 if {@code src} is empty)
     * @throws IOException on an I/O error
     */
    default int writeFrom(IoBuf src) throws IOException {
        return Blocking.await(writeFuture(src));
    }

    /** Flushes, parking until done. */
    default void flush() throws IOException {
        Blocking.await(flushFuture());
    }

    /** Flushes and half-closes the write side, parking until done. */
    default void shutdownOutput() throws IOException {
        Blocking.await(shutdownFuture());
    }

    /** {@link #pollWrite} as a future of the count; cancel-safe. */
    default Future<Integer> writeFuture(IoBuf src) {
        return cx -> {
            int n = pollWrite(cx, src);
            return n == AsyncRead.PENDING ? Poll.pending() : Poll.ready(n);
        };
    }

    /** {@link #pollFlush} as a future. */
    default Future<Void> flushFuture() {
        return cx -> pollFlush(cx) ? Poll.ready(null) : Poll.pending();
    }

    /** {@link #pollShutdown} as a future. */
    default Future<Void> shutdownFuture() {
        return cx -> pollShutdown(cx) ? Poll.ready(null) : Poll.pending();
    }
}

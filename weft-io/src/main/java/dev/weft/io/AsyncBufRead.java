package dev.weft.io;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.io.internal.Blocking;
import java.io.IOException;

/**
 * A reader with a buffer you can look into: {@link #pollFill} shows the buffered bytes without
 * copying them, {@link #consume} says how many were used. Parsers scan for a delimiter or a header
 * in place and copy only what they keep. {@link BufReader} makes one from any {@link AsyncRead}.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="bufRead"}
 *
 * <p><b>Cancellation</b> loses nothing: bytes stay buffered until consumed.
 */
public interface AsyncBufRead extends AsyncRead {

    /**
     * The buffered bytes, reading from the source first if none are buffered.
     *
     * @return a read-only view whose remaining bytes (position..limit) are the buffered bytes:
     *         non-empty with data, empty at the end of the stream; or {@code null} after arranging
     *         for {@code cx.waker()} to be woken. The view is valid until the next
     *         {@link #consume}, poll or read; moving its position does not consume anything.
     * @throws java.io.UncheckedIOException on an I/O error
     */
    IoBuf pollFill(Context cx);

    /**
     * Marks the first {@code n} buffered bytes as used; the next fill starts after them.
     *
     * @throws IllegalArgumentException if {@code n} is negative or more than is buffered
     */
    void consume(int n);

    /** {@link #pollFill}, parking until bytes or the end of the stream (then the view is empty). */
    default IoBuf fill() throws IOException {
        return Blocking.await(fillFuture());
    }

    /** {@link #pollFill} as a future. */
    default Future<IoBuf> fillFuture() {
        return cx -> {
            IoBuf view = pollFill(cx);
            return view == null ? Poll.pending() : Poll.ready(view);
        };
    }
}

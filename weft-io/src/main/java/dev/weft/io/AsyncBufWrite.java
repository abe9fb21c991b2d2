package dev.weft.io;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.io.internal.Blocking;
import java.io.IOException;

/**
 * The write-side twin of {@link AsyncBufRead}: a writer whose buffer you fill in place.
 * {@link #pollReserve} lends you room in the writer's own buffer, you encode into it, and
 * {@link #commit} hands the bytes over, with no copy between your buffer and the writer's.
 * {@link BufWriter} makes one from any {@link AsyncWrite}; a {@link TcpStream} is one, and on
 * io_uring the room it lends is the memory the kernel sends from. {@link Framed} encodes its
 * frames this way, and {@link Io#copy} reads straight into the room.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="bufWriteInPlace"}
 *
 * <p><b>A reservation</b> is valid until its {@link #commit}, or until the writer's next reserve,
 * write, flush, shutdown or close, whichever comes first: after that every use of the view throws
 * {@link IllegalStateException}, so a stale view can never overwrite bytes that are being sent.
 * A reservation never committed sends nothing.
 *
 * <p><b>When bytes go out</b> is the writer's business, as for {@link #pollWrite}: a
 * {@link BufWriter} keeps committed bytes until its buffer fills or you flush; a socket starts
 * sending them at once. {@link #pollFlush} waits until they are all out.
 *
 * <p>Not thread-safe: one writer at a time, as for {@link AsyncWrite}.
 */
public interface AsyncBufWrite extends AsyncWrite {

    /**
     * Room for at least {@code min} bytes in the writer's buffer, making room first (writing out
     * what is buffered) if needed.
     *
     * @return a writable view with position 0 and at least {@code min} bytes remaining (often more);
     *         or {@code null} after arranging for {@code cx.waker()} to be woken when there may be room
     * @throws IllegalArgumentException if {@code min} is below 1 or above {@link #maxReserve()}
     * @throws java.io.UncheckedIOException on an I/O error (an earlier write failed, the stream is closed)
     */
    IoBuf pollReserve(Context cx, int min);

    /**
     * Accepts the first {@code n} bytes of the current reservation's view (usually
     * {@code view.position()}) and ends the reservation; {@code 0} abandons it.
     *
     * @throws IllegalStateException if there is no reservation (none made, or it already ended)
     * @throws IllegalArgumentException if {@code n} is negative or more than the view's capacity
     */
    void commit(int n);

    /** The largest room {@link #pollReserve} can lend (the writer's buffer size). */
    int maxReserve();

    /** {@link #pollReserve}, parking until there is room. */
    default IoBuf reserve(int min) throws IOException {
        return Blocking.await(reserveFuture(min));
    }

    /** {@link #pollReserve} as a future. */
    default Future<IoBuf> reserveFuture(int min) {
        return cx -> {
            IoBuf room = pollReserve(cx, min);
            return room == null ? Poll.pending() : Poll.ready(room);
        };
    }
}

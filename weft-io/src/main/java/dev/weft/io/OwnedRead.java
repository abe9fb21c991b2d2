package dev.weft.io;

import dev.weft.Future;
import dev.weft.Weft;
import dev.weft.io.internal.OwnedOps;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads into a buffer that is lent to the operation and handed back in the result (the
 * owned-buffer completion contract): the shape io_uring needs, where the kernel writes into the
 * buffer after the call returns. On NIO, {@link OwnedIo#over} provides it on top of an
 * {@link AsyncRead}.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="owned"}
 *
 * <p><b>Ownership.</b> From the call until the result, the buffer (and every view of it) is the
 * operation's: using it throws {@link IllegalStateException}. The result hands it back on success
 * ({@link ReadResult#buf()}) and on error ({@link BufIOException#buf()}).
 *
 * <p><b>Cancellation</b> (a lost {@code select}, a timeout, a cancelled task): the buffer goes
 * back to its {@link BufPool} (or, without a pool, to the garbage collector) once no I/O can touch
 * it any more, and the handle stays dead, so nobody ever sees memory the kernel may still write.
 * {@code pool.give(buf)} on that handle does nothing, so a {@code finally} block stays correct.
 * Bytes the operation had already taken from the source are not lost: they go to the stream's
 * read-ahead, and the next read returns them first.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="ownedCancel"}
 */
public interface OwnedRead {

    /**
     * A future of a read of up to {@code buf.remaining()} bytes into {@code buf} at its position;
     * {@code buf} is lent from this call until the future completes.
     *
     * <p>The future fails with an {@link UncheckedIOException} whose cause is a
     * {@link BufIOException} carrying the buffer.
     *
     * @throws IllegalStateException if {@code buf} is given back, lent, or forfeited
     * @throws java.nio.ReadOnlyBufferException if {@code buf} is read-only
     */
    Future<ReadResult> readOwned(IoBuf buf);

    /**
     * Reads into {@code buf}, parking until bytes arrive, the stream ends, or an error.
     *
     * @return the count and the buffer; {@link ReadResult#eof()} at the end of the stream
     * @throws BufIOException on an I/O error; it carries the buffer
     * @throws dev.weft.CancelledException if the task is cancelled meanwhile; the buffer then goes
     *         back to its pool (see the class notes)
     */
    default ReadResult read(IoBuf buf) throws BufIOException {
        try {
            return Weft.await(readOwned(buf));
        } catch (UncheckedIOException e) {
            throw OwnedOps.unwrap(e, buf);
        }
    }
}

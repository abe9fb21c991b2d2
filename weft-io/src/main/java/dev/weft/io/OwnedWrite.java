package dev.weft.io;

import dev.weft.Future;
import dev.weft.Weft;
import dev.weft.io.internal.OwnedOps;
import dev.weft.io.internal.WriteAllLoop;
import java.io.UncheckedIOException;

/**
 * Writes from a buffer that is lent to the operation and handed back in the result (the
 * owned-buffer completion contract). Same ownership and cancellation rules as {@link OwnedRead}:
 * while lent the buffer cannot be used; the result (or the {@link BufIOException}) hands it back;
 * a cancelled write sends its buffer back to its pool. A cancelled {@link #writeAllOwned} may have
 * written a prefix of the bytes, and nobody learns how long: treat that connection's output as
 * broken (close it), or loop over {@link #writeOwned} yourself, which reports every count.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="owned"}
 */
public interface OwnedWrite {

    /**
     * A future of a write of up to {@code buf.remaining()} bytes from {@code buf}'s position; the
     * result's buffer has advanced by the count.
     *
     * @throws IllegalStateException if {@code buf} is given back, lent, or forfeited
     */
    Future<WriteResult> writeOwned(IoBuf buf);

    /**
     * A future that writes every remaining byte of {@code buf}; the result's buffer comes back
     * {@linkplain IoBuf#clear() cleared}, ready to be filled again. The default loops over
     * {@link #writeOwned}.
     */
    default Future<WriteResult> writeAllOwned(IoBuf buf) {
        return new WriteAllLoop(this, buf);
    }

    /** {@link #writeOwned}, parking until at least one byte is written. */
    default WriteResult write(IoBuf buf) throws BufIOException {
        try {
            return Weft.await(writeOwned(buf));
        } catch (UncheckedIOException e) {
            throw OwnedOps.unwrap(e, buf);
        }
    }

    /**
     * {@link #writeAllOwned}, parking until every byte is written; the buffer comes back cleared:
     * {@code buf = conn.writeAll(buf.flip()).buf();}
     */
    default WriteResult writeAll(IoBuf buf) throws BufIOException {
        try {
            return Weft.await(writeAllOwned(buf));
        } catch (UncheckedIOException e) {
            throw OwnedOps.unwrap(e, buf);
        }
    }
}

package dev.weft.io;

import dev.weft.Future;
import dev.weft.io.internal.OwnedDuplex;
import dev.weft.io.internal.OwnedOps;
import java.util.Objects;

/**
 * Both owned-buffer traits, and the adapters that give any readiness stream the owned forms: a
 * stream on NIO implements {@link AsyncRead}/{@link AsyncWrite} and gets {@link OwnedRead} and
 * {@link OwnedWrite} from here, so code written against the owned traits runs on NIO today and on
 * io_uring later.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="owned"}
 *
 * <p><b>On a readiness stream</b> an owned operation touches the buffer only inside the poll that
 * completes it, so when one is cancelled no byte has been taken from the source and nothing can
 * write the buffer: it goes straight back to its pool (see {@link OwnedRead} for the rule every
 * implementation follows).
 *
 * <p><b>Implementing the owned traits on a readiness stream</b>, in the stream's own class:
 * {@snippet :
 * public Future<ReadResult> readOwned(IoBuf buf)      { return OwnedIo.readVia(this, buf); }
 * public Future<WriteResult> writeOwned(IoBuf buf)    { return OwnedIo.writeVia(this, buf); }
 * public Future<WriteResult> writeAllOwned(IoBuf buf) { return OwnedIo.writeAllVia(this, buf); }
 * }
 */
public interface OwnedIo extends OwnedRead, OwnedWrite {

    /** The owned forms of a duplex readiness stream; closing the result closes {@code io}. */
    static OwnedIo over(AsyncIo io) {
        Objects.requireNonNull(io, "io");
        return new OwnedDuplex(io);
    }

    /** The owned read form of a readiness reader. */
    static OwnedRead reader(AsyncRead in) {
        Objects.requireNonNull(in, "in");
        return buf -> readVia(in, buf);
    }

    /** The owned write forms of a readiness writer. */
    static OwnedWrite writer(AsyncWrite out) {
        Objects.requireNonNull(out, "out");
        return new OwnedWrite() {
            @Override
            public Future<WriteResult> writeOwned(IoBuf buf) {
                return writeVia(out, buf);
            }

            @Override
            public Future<WriteResult> writeAllOwned(IoBuf buf) {
                return writeAllVia(out, buf);
            }
        };
    }

    /** An owned read on top of {@link AsyncRead#pollRead}: lends {@code buf} now, hands it back in the result. */
    static Future<ReadResult> readVia(AsyncRead in, IoBuf buf) {
        return OwnedOps.read(in, buf);
    }

    /** An owned write of some bytes on top of {@link AsyncWrite#pollWrite}. */
    static Future<WriteResult> writeVia(AsyncWrite out, IoBuf buf) {
        return OwnedOps.write(out, buf, false);
    }

    /** An owned write of every byte on top of {@link AsyncWrite#pollWrite}; the buffer comes back cleared. */
    static Future<WriteResult> writeAllVia(AsyncWrite out, IoBuf buf) {
        return OwnedOps.write(out, buf, true);
    }
}

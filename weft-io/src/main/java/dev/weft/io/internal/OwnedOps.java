package dev.weft.io.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.io.AsyncRead;
import dev.weft.io.AsyncWrite;
import dev.weft.io.BufIOException;
import dev.weft.io.IoBuf;
import dev.weft.io.ReadResult;
import dev.weft.io.WriteResult;
import java.io.UncheckedIOException;

/**
 * Owned operations on top of readiness streams ({@code OwnedIo.readVia/writeVia/writeAllVia}).
 *
 * <p>The buffer is lent when the operation is made. Each poll restores it, calls the readiness
 * method (which copies into or out of it), and lends it again if pending: the buffer is touched
 * only inside polls, so a cancelled operation has taken no byte and can forfeit the buffer to its
 * pool at once. One poller at a time (the Future contract); {@code cancel} after completion does
 * nothing.
 */
public final class OwnedOps {
    private OwnedOps() { }

    public static Future<ReadResult> read(AsyncRead in, IoBuf buf) {
        Lending.lend(buf, true);
        return new ReadOp(in, buf);
    }

    public static Future<WriteResult> write(AsyncWrite out, IoBuf buf, boolean all) {
        Lending.lend(buf, false);
        return new WriteOp(out, buf, all);
    }

    /**
     * The checked form of an owned operation's failure: its {@link BufIOException}, or one made
     * for an implementation that failed with a plain I/O error (the buffer is handed back).
     */
    public static BufIOException unwrap(UncheckedIOException e, IoBuf buf) {
        if (e.getCause() instanceof BufIOException b) {
            return b;
        }
        Lending.restore(buf);
        return new BufIOException(e.getCause(), buf);
    }

    /** Fails an operation: the buffer is usable again and travels in the exception. */
    static UncheckedIOException failed(UncheckedIOException e, IoBuf buf) {
        Lending.restore(buf);
        return new UncheckedIOException(e.getMessage(), new BufIOException(e.getCause(), buf));
    }

    private static final class ReadOp implements Future<ReadResult> {
        private final AsyncRead in;
        private final IoBuf buf;
        private boolean done;

        ReadOp(AsyncRead in, IoBuf buf) {
            this.in = in;
            this.buf = buf;
        }

        @Override
        public String toString() {
            return "read(" + dev.weft.internal.TaskDump.describe(in) + (done ? ", done" : "") + ")";
        }

        @Override
        public Poll<ReadResult> poll(Context cx) {
            if (done) {
                throw new IllegalStateException("this owned read has completed");
            }
            Lending.restore(buf);
            int n;
            try {
                n = in.pollRead(cx, buf);
            } catch (UncheckedIOException e) {
                done = true;
                throw failed(e, buf);
            } catch (RuntimeException | Error e) {
                done = true;        // the buffer stays usable (restored): the caller still holds it
                throw e;
            }
            if (n == AsyncRead.PENDING) {
                Lending.relend(buf);
                return Poll.pending();
            }
            done = true;
            return Poll.ready(new ReadResult(n, buf));
        }

        @Override
        public void drop() {
            if (!done) {
                done = true;
                Lending.forfeit(buf);
            }
        }
    }

    private static final class WriteOp implements Future<WriteResult> {
        private final AsyncWrite out;
        private final IoBuf buf;
        private final boolean all;
        private int written;
        private boolean done;

        WriteOp(AsyncWrite out, IoBuf buf, boolean all) {
            this.out = out;
            this.buf = buf;
            this.all = all;
        }

        @Override
        public String toString() {
            return (all ? "writeAll(" : "write(") + dev.weft.internal.TaskDump.describe(out) + ", " + written + " bytes written"
                    + (done ? ", done" : "") + ")";
        }

        @Override
        public Poll<WriteResult> poll(Context cx) {
            if (done) {
                throw new IllegalStateException("this owned write has completed");
            }
            Lending.restore(buf);
            try {
                do {
                    if (!buf.hasRemaining()) {
                        break;
                    }
                    int n = out.pollWrite(cx, buf);
                    if (n == AsyncRead.PENDING) {
                        Lending.relend(buf);
                        return Poll.pending();
                    }
                    written += n;
                } while (all);
            } catch (UncheckedIOException e) {
                done = true;
                throw failed(e, buf);
            } catch (RuntimeException | Error e) {
                done = true;
                throw e;
            }
            done = true;
            if (all) {
                buf.clear();
            }
            return Poll.ready(new WriteResult(written, buf));
        }

        @Override
        public void drop() {
            if (!done) {
                done = true;
                Lending.forfeit(buf);
            }
        }
    }
}

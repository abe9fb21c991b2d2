package dev.weft.io;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.io.internal.Lending;
import dev.weft.io.internal.PipeFlow;
import dev.weft.io.internal.PipeReadOp;
import dev.weft.spi.Coop;
import java.io.UncheckedIOException;

/**
 * One end of an {@link IoPipe}: reads what the other end writes, writes what it reads. Implements
 * the readiness traits ({@link AsyncIo}) and the owned-buffer traits ({@link OwnedIo}).
 *
 * <ul>
 *   <li>{@link #shutdownOutput()} (half-close): the other end reads the buffered bytes, then the
 *       end of stream; this end can still read.</li>
 *   <li>{@link #close()}: half-closes the output and closes the input; the other end's writes then
 *       fail with "broken pipe", and this end's operations with "closed".</li>
 *   <li>{@link #reset()}: an abortive close (TCP's RST): buffered bytes are dropped and the other
 *       end's reads and writes fail at once with "connection reset by peer".</li>
 *   <li>Owned reads ({@link #readOwned}) complete the way a completion driver does: a write from
 *       the other end fills the lent buffer directly. If such a read is cancelled after its buffer
 *       was filled, the bytes go to this end's read-ahead and the next read returns them.</li>
 * </ul>
 *
 * <p>Thread-safe for one reader and one writer at a time; {@code close} and {@code reset} from anywhere.
 */
public final class PipeEnd implements AsyncIo, OwnedIo {
    private final String name;
    private final PipeFlow in;
    private final PipeFlow out;
    private volatile boolean closed;
    PipeEnd peer;           // set once by IoPipe before the ends are published

    PipeEnd(String name, PipeFlow in, PipeFlow out) {
        this.name = name;
        this.in = in;
        this.out = out;
    }

    private void checkOpen() {
        if (closed) {
            throw new UncheckedIOException(new java.io.IOException("this pipe end (" + name + ") is closed"));
        }
    }

    @Override
    public int pollRead(Context cx, IoBuf dst) {
        checkOpen();
        if (!Coop.proceed(cx)) {
            return PENDING;
        }
        return in.read(cx, dst);
    }

    @Override
    public int pollWrite(Context cx, IoBuf src) {
        checkOpen();
        if (!Coop.proceed(cx)) {
            return PENDING;
        }
        return out.write(cx, src);
    }

    /** Always true: written bytes are in the pipe at once. */
    @Override
    public boolean pollFlush(Context cx) {
        checkOpen();
        return true;
    }

    @Override
    public boolean pollShutdown(Context cx) {
        checkOpen();
        out.shutdownWrite();
        return true;
    }

    @Override
    public Future<ReadResult> readOwned(IoBuf buf) {
        Lending.lend(buf, true);
        return new PipeReadOp(in, () -> closed, buf);
    }

    @Override
    public Future<WriteResult> writeOwned(IoBuf buf) {
        return OwnedIo.writeVia(this, buf);
    }

    @Override
    public Future<WriteResult> writeAllOwned(IoBuf buf) {
        return OwnedIo.writeAllVia(this, buf);
    }

    /** The other end of the pipe. */
    public PipeEnd peer() {
        return peer;
    }

    /** The bytes this end could read now without waiting. */
    public int available() {
        return in.buffered();
    }

    /** Half-closes this end's output and closes its input. Idempotent; never waits. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        out.shutdownWrite();
        in.closeRead();
    }

    /**
     * Abortive close: drops buffered bytes both ways; the other end's reads and writes fail with
     * {@code IOException("connection reset by peer")}, including one waiting now.
     */
    public void reset() {
        closed = true;
        out.reset();
        in.reset();
    }

    @Override
    public String toString() {
        return "PipeEnd[" + name + (closed ? ", closed" : "") + "]";
    }
}

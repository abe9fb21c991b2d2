package dev.weft.io.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;
import dev.weft.io.AsyncRead;
import dev.weft.io.BufIOException;
import dev.weft.io.IoBuf;
import dev.weft.io.ReadResult;
import dev.weft.spi.Coop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;

/**
 * An owned read on an {@code IoPipe} end, completed the way io_uring completes one: the writer
 * fills the lent buffer directly (see {@link PipeFlow}, "Owned reads").
 *
 * <h2>States</h2> (all under the flow's lock)
 * <pre>
 *   IDLE ──poll, nothing to read──▶ WAITING ──writer fills──▶ FILLED ──poll──▶ DONE
 *     │ poll finds bytes/end/error ──▶ DONE        WAITING ──end/close/reset──▶ IDLE (re-poll decides)
 *   IDLE/WAITING ──cancel──▶ CANCELLED (buffer forfeited)
 *   FILLED ──cancel──▶ CANCELLED (its bytes move to the read-ahead, then the buffer is forfeited)
 * </pre>
 */
public final class PipeReadOp implements Future<ReadResult> {
    private static final int IDLE = 0;
    private static final int WAITING = 1;
    private static final int FILLED = 2;
    private static final int DONE = 3;
    private static final int CANCELLED = 4;

    private final PipeFlow flow;
    private final BooleanSupplier endClosed;
    private final IoBuf buf;
    private int state;
    private int count;
    Waker waker;

    public PipeReadOp(PipeFlow flow, BooleanSupplier endClosed, IoBuf buf) {
        this.flow = flow;
        this.endClosed = endClosed;
        this.buf = buf;
    }

    @Override
    public Poll<ReadResult> poll(Context cx) {
        if (!Coop.proceed(cx)) {
            return Poll.pending();
        }
        Waker wakeWriter = null;
        IOException failure = null;
        ReadResult result = null;
        flow.lock.lock();
        try {
            switch (state) {
                case FILLED -> {
                    state = DONE;
                    Lending.restore(buf);
                    result = new ReadResult(count, buf);
                }
                case DONE, CANCELLED -> throw new IllegalStateException("this owned read has completed");
                default -> {
                    if (endClosed.getAsBoolean()) {
                        failure = new IOException("this pipe end is closed");
                    } else if (flow.readError() != null) {
                        failure = flow.readError();
                    } else if (!hasRoomLocked()) {
                        state = DONE;                   // no room: 0 at once, as pollRead answers
                        result = new ReadResult(0, buf);
                    } else if (!flow.readAhead.isEmpty() || flow.sizeLocked() > 0 || flow.writeShutLocked()) {
                        Lending.restore(buf);
                        int n = 0;
                        if (buf.hasRemaining()) {
                            n = flow.readAhead.isEmpty() ? 0 : flow.readAhead.drainTo(buf);
                            if (flow.sizeLocked() > 0 && buf.hasRemaining()) {
                                n += flow.copyOut(buf);
                                wakeWriter = flow.takeWriteWaker();
                            }
                            if (n == 0) {
                                n = AsyncRead.EOF;      // nothing buffered and the writer shut down
                            }
                        }
                        state = DONE;
                        result = new ReadResult(n, buf);
                    } else {
                        flow.pending = this;
                        waker = cx.waker();
                        state = WAITING;
                    }
                    if (failure != null || result != null) {
                        if (flow.pending == this) {
                            flow.pending = null;
                        }
                    }
                    if (failure != null) {
                        state = DONE;
                        Lending.restore(buf);
                    }
                }
            }
        } finally {
            flow.lock.unlock();
        }
        if (wakeWriter != null) {
            wakeWriter.wake();
        }
        if (failure != null) {
            throw new UncheckedIOException(failure.getMessage(), new BufIOException(failure, buf));
        }
        return result == null ? Poll.pending() : Poll.ready(result);
    }

    /**
     * Under the flow's lock: true if the buffer has room. It is lent, so it is restored to look
     * and lent again if it has room (the op may wait); a buffer without room is left restored,
     * for the caller completes with 0.
     */
    private boolean hasRoomLocked() {
        Lending.restore(buf);
        if (!buf.hasRemaining()) {
            return false;
        }
        Lending.relend(buf);
        return true;
    }

    /**
     * Writer, under the flow's lock: copy into the lent buffer and complete. A waiting op always
     * has room (one without room completes at its poll), so the count is > 0 when {@code src} has
     * bytes. @return the count
     */
    int fillFrom(IoBuf src) {
        Lending.restore(buf);
        int n = buf.put(src);
        Lending.relend(buf);
        count = n;
        state = FILLED;
        return n;
    }

    /** Under the flow's lock: no longer registered (the end came); the next poll decides. @return the waker to wake */
    Waker unregister() {
        if (state == WAITING) {
            state = IDLE;
        }
        return waker;
    }

    @Override
    public void drop() {
        boolean forfeit = false;
        flow.lock.lock();
        try {
            switch (state) {
                case IDLE, WAITING -> {
                    if (flow.pending == this) {
                        flow.pending = null;
                    }
                    forfeit = true;
                }
                case FILLED -> {
                    // The bytes were taken from the pipe: they are the oldest, and the read-ahead is
                    // empty (PipeFlow invariant), so appending keeps the order.
                    Lending.restore(buf);
                    flow.readAhead.append(buf, buf.position() - count, count);
                    forfeit = true;
                }
                default -> { }
            }
            if (forfeit) {
                state = CANCELLED;
            }
        } finally {
            flow.lock.unlock();
        }
        if (forfeit) {
            Lending.forfeit(buf);      // after the flow's lock: the pool takes its own
        }
    }
}

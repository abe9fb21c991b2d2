package dev.weft.io;

import dev.weft.Context;
import dev.weft.io.spi.Reservation;
import java.util.Objects;

/**
 * Adds a write buffer to any {@link AsyncWrite}: small writes gather in the buffer and reach the
 * writer underneath in one call when the buffer fills or on {@link #pollFlush flush}. A write at
 * least as large as the buffer, when the buffer is empty, goes straight through.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="bufWrite"}
 *
 * <p>It is an {@link AsyncBufWrite}: {@link #pollReserve} lends room in the buffer itself, so an
 * encoder writes its bytes where they are sent from, and nothing is copied in Java.
 *
 * <p>Bytes are accepted ({@link #pollWrite} returns their count) once copied into the buffer: call
 * {@link #flush()} (or {@link #shutdownOutput()}, which flushes first) to push them out. Closing the
 * stream underneath without flushing drops them. Not thread-safe: one writer at a time.
 */
public final class BufWriter implements AsyncBufWrite {
    private final AsyncWrite inner;
    private final IoBuf buf;        // write mode: [0, position) are bytes not yet written out
    private final IoBuf out;        // a duplicate of buf for handing the pending bytes to inner
    private int flushed;            // [0, flushed) of buf were already written out
    private IoBuf reserved;         // the view lent by pollReserve, until commit or the next call
    private final boolean eager;    // a stage in front of a socket: committed bytes are written at once
    private java.io.IOException failure;    // eager only: a write error met by commit, thrown by the next call

    /** A writer with an 8 KiB heap buffer. */
    public BufWriter(AsyncWrite inner) {
        this(inner, IoBuf.allocate(BufReader.DEFAULT_CAPACITY));
    }

    /** A writer with a heap buffer of {@code capacity} bytes. */
    public BufWriter(AsyncWrite inner, int capacity) {
        this(inner, IoBuf.allocate(checked(capacity)));
    }

    /** A writer over {@code buffer} (all its capacity is used); it owns the buffer from now on. */
    public BufWriter(AsyncWrite inner, IoBuf buffer) {
        this(inner, buffer, false);
    }

    /**
     * A stage in front of a writer that sends what it accepts (a socket): committed bytes are
     * written at once (as far as the writer takes them without waiting), and a write goes straight
     * through once nothing is staged, so no flush is needed beyond what the writer needs itself.
     */
    static BufWriter eager(AsyncWrite inner, IoBuf buffer) {
        return new BufWriter(inner, buffer, true);
    }

    private BufWriter(AsyncWrite inner, IoBuf buffer, boolean eager) {
        this.eager = eager;
        this.inner = Objects.requireNonNull(inner, "inner");
        if (buffer.capacity() == 0 || buffer.isReadOnly()) {
            throw new IllegalArgumentException("a BufWriter needs a writable buffer with room, got " + buffer);
        }
        this.buf = buffer.clear();
        this.out = buffer.duplicate();
    }

    private static int checked(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0, got " + capacity);
        }
        return capacity;
    }

    /** The writer underneath. */
    public AsyncWrite inner() {
        return inner;
    }

    /** Bytes accepted and not yet written out. */
    public int buffered() {
        return buf.position() - flushed;
    }

    @Override
    public IoBuf pollReserve(Context cx, int min) {
        if (min < 1 || min > buf.capacity()) {
            throw new IllegalArgumentException("pollReserve(" + min + "): this BufWriter lends 1 to " + buf.capacity()
                    + " bytes (its buffer size); build it with a larger buffer, or write larger data with pollWrite");
        }
        endReservation();
        rethrow();
        if (buf.remaining() < min && !drain(cx)) {
            return null;
        }
        reserved = Reservation.open(buf.segment().asSlice(buf.position(), buf.remaining()));
        return reserved;
    }

    @Override
    public void commit(int n) {
        Reservation.checkCommit(reserved, n);
        endReservation();
        buf.position(buf.position() + n);
        if (eager && n > 0) {
            try {
                drain(Context.noop());      // what the writer takes now; the rest waits for the next call
            } catch (java.io.UncheckedIOException e) {
                failure = e.getCause();
            }
        }
    }

    private void rethrow() {
        if (failure != null) {
            throw new java.io.UncheckedIOException(failure.getMessage(), failure);
        }
    }

    @Override
    public int maxReserve() {
        return buf.capacity();
    }

    private void endReservation() {
        Reservation.expire(reserved);
        reserved = null;
    }

    @Override
    public int pollWrite(Context cx, IoBuf src) {
        endReservation();
        rethrow();
        if (!src.hasRemaining()) {
            return 0;
        }
        if (eager) {
            return drain(cx) ? inner.pollWrite(cx, src) : AsyncRead.PENDING;
        }
        if (src.remaining() > buf.remaining()) {
            if (!drain(cx)) {
                return AsyncRead.PENDING;
            }
            if (src.remaining() >= buf.capacity()) {
                return inner.pollWrite(cx, src);    // large write: no detour through the buffer
            }
        }
        return buf.put(src);
    }

    /** Writes the buffered bytes out. @return true when none is left */
    private boolean drain(Context cx) {
        while (flushed < buf.position()) {
            out.limit(buf.position()).position(flushed);
            int n = inner.pollWrite(cx, out);
            if (n == AsyncRead.PENDING) {
                return false;
            }
            flushed += n;
        }
        buf.clear();
        flushed = 0;
        return true;
    }

    @Override
    public boolean pollFlush(Context cx) {
        endReservation();
        rethrow();
        return drain(cx) && inner.pollFlush(cx);
    }

    @Override
    public boolean pollShutdown(Context cx) {
        endReservation();
        rethrow();
        return drain(cx) && inner.pollShutdown(cx);
    }

    @Override
    public String toString() {
        return "BufWriter[" + buffered() + " buffered of " + buf.capacity() + ", " + inner + "]";
    }
}

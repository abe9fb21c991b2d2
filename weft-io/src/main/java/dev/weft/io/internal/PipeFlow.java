package dev.weft.io.internal;

import dev.weft.internal.SpinLock;
import dev.weft.Context;
import dev.weft.Waker;
import dev.weft.io.AsyncRead;
import dev.weft.io.AsyncWrite;
import dev.weft.io.IoBuf;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One direction of an {@code IoPipe}: a bounded ring of bytes from the writing end to the reading
 * end, with the waker of the one waiting reader and the one waiting writer.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li>Every field is guarded by {@link #lock} (a {@link SpinLock}: a section is one bounded copy
 *       and a few writes). Wakers are taken out under the lock and woken after it, so a woken task
 *       never spins on the lock its waker still holds.</li>
 *   <li>No lost wake-up: a reader that finds nothing stores its waker under the lock; a writer
 *       that adds bytes under the lock takes that waker and wakes it. Same for a writer that finds
 *       the ring full. (Mutual exclusion gives the ordering; nothing weaker is used.)</li>
 *   <li><b>Owned reads complete like io_uring:</b> a pending {@link PipeReadOp} registers as
 *       {@link #pending}; the next write copies straight into its lent buffer and completes it,
 *       before its task has polled. Invariant: {@code pending != null} implies the ring and
 *       {@link #readAhead} are empty (an op registers only then, and writes go to it first), and
 *       the op's buffer has room (an op without room completes with 0 at its poll instead), so a
 *       write never answers 0 while it has bytes to send. If the
 *       op is cancelled after it was filled, its bytes move to {@link #readAhead}, which every read
 *       drains before the ring, so they come out first and none is lost.</li>
 * </ul>
 */
public final class PipeFlow {
    final SpinLock lock = new SpinLock();
    private final byte[] ring;
    private int head;
    private int size;
    private boolean writeShut;
    private boolean readClosed;
    private boolean reset;
    private Waker readWaker;
    private Waker writeWaker;
    PipeReadOp pending;
    final ReadAhead readAhead = new ReadAhead();

    public PipeFlow(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("pipe capacity must be > 0, got " + capacity);
        }
        this.ring = new byte[capacity];
    }

    static UncheckedIOException error(String message) {
        return new UncheckedIOException(new IOException(message));
    }

    /** Throws the error a reader sees, if any (under the lock). */
    IOException readError() {
        return reset ? new IOException("connection reset by peer") : null;
    }

    /** Reads into {@code dst}: a count, {@link AsyncRead#EOF} or {@link AsyncRead#PENDING}. */
    public int read(Context cx, IoBuf dst) {
        if (!dst.hasRemaining()) {
            return 0;
        }
        Waker wake = null;
        int r;
        lock.lock();
        try {
            if (reset) {
                throw error("connection reset by peer");
            }
            r = readAhead.isEmpty() ? 0 : readAhead.drainTo(dst);      // the older bytes first
            if (size > 0 && dst.hasRemaining()) {
                r += copyOut(dst);
                wake = writeWaker;
                writeWaker = null;
            }
            if (r == 0) {
                if (writeShut) {
                    r = AsyncRead.EOF;
                } else {
                    readWaker = cx.waker();
                    r = AsyncRead.PENDING;
                }
            }
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            wake.wake();
        }
        return r;
    }

    /** Copies buffered bytes into {@code dst} (under the lock); the caller wakes {@link #takeWriteWaker()}. */
    int copyOut(IoBuf dst) {
        int n = Math.min(size, dst.remaining());
        int first = Math.min(n, ring.length - head);
        dst.put(ring, head, first);
        if (n > first) {
            dst.put(ring, 0, n - first);
        }
        head = (head + n) % ring.length;
        size -= n;
        if (size == 0) {
            head = 0;
        }
        return n;
    }

    Waker takeWriteWaker() {
        Waker w = writeWaker;
        writeWaker = null;
        return w;
    }

    int sizeLocked() {
        return size;
    }

    boolean writeShutLocked() {
        return writeShut;
    }

    /** Writes from {@code src}: a count, {@code > 0} whenever {@code src} has bytes, or {@link AsyncRead#PENDING}. */
    public int write(Context cx, IoBuf src) {
        if (!src.hasRemaining()) {
            return 0;
        }
        Waker wake = null;
        int r;
        lock.lock();
        try {
            if (reset) {
                throw error("connection reset by peer");
            }
            if (writeShut) {
                throw error("write after shutdownOutput(): this side of the pipe is shut down");
            }
            if (readClosed) {
                throw error("broken pipe: the other end is closed and reads no more");
            }
            PipeReadOp op = pending;
            if (op != null) {
                pending = null;
                r = op.fillFrom(src);           // > 0: a waiting op has room (PipeReadOp)
                wake = op.waker;
            } else if (size == ring.length) {
                writeWaker = cx.waker();
                r = AsyncRead.PENDING;
            } else {
                r = copyIn(src);
                wake = readWaker;
                readWaker = null;
            }
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            wake.wake();
        }
        return r;
    }

    private int copyIn(IoBuf src) {
        int n = Math.min(ring.length - size, src.remaining());
        int tail = (head + size) % ring.length;
        int first = Math.min(n, ring.length - tail);
        src.get(ring, tail, first);
        if (n > first) {
            src.get(ring, 0, n - first);
        }
        size += n;
        return n;
    }

    /** The writing end shut down: the reader sees the end after the buffered bytes. */
    public void shutdownWrite() {
        Waker w1;
        Waker w2;
        lock.lock();
        try {
            writeShut = true;
            w1 = readWaker;
            readWaker = null;
            w2 = takePendingLocked();
        } finally {
            lock.unlock();
        }
        wake(w1, w2, null);
    }

    /** The reading end closed: buffered bytes are dropped, later writes fail. */
    public void closeRead() {
        Waker w1;
        Waker w2;
        lock.lock();
        try {
            readClosed = true;
            dropBufferedLocked();
            w1 = writeWaker;
            writeWaker = null;
            w2 = takePendingLocked();
        } finally {
            lock.unlock();
        }
        wake(w1, w2, null);
    }

    /** Abortive close: both ends' reads and writes on this flow fail with "connection reset". */
    public void reset() {
        Waker w1;
        Waker w2;
        Waker w3;
        lock.lock();
        try {
            reset = true;
            dropBufferedLocked();
            w1 = readWaker;
            w2 = writeWaker;
            readWaker = null;
            writeWaker = null;
            w3 = takePendingLocked();
        } finally {
            lock.unlock();
        }
        wake(w1, w2, w3);
    }

    /** Under the lock: the waiting owned read's waker, unregistered, or null if none waits. */
    private Waker takePendingLocked() {
        if (pending == null) {
            return null;
        }
        Waker w = pending.unregister();
        pending = null;
        return w;
    }

    /** Under the lock: drops every buffered byte (the reader is gone, or the flow was reset). */
    private void dropBufferedLocked() {
        size = 0;
        head = 0;
        readAhead.clear();
    }

    /** The bytes a reader could read now. */
    public int buffered() {
        lock.lock();
        try {
            return size + readAhead.size();
        } finally {
            lock.unlock();
        }
    }

    private static void wake(Waker a, Waker b, Waker c) {
        if (a != null) {
            a.wake();
        }
        if (b != null) {
            b.wake();
        }
        if (c != null) {
            c.wake();
        }
    }
}

package dev.weft.io.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.io.AsyncIo;
import dev.weft.io.IoBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * {@code Io.withReadTimeout}: a read that waits longer than the limit for its first byte fails
 * with {@link SocketTimeoutException}. The clock starts when a read finds nothing to read and
 * stops when bytes (or the end) arrive; writes, flushes and close pass through untouched. The
 * timer is a {@link Future#sleep} polled with the read, so it wakes whichever task reads now.
 * After a timeout the stream is unharmed: a later read may still succeed. One reader at a time.
 */
public final class ReadTimeoutIo implements AsyncIo {
    private final AsyncIo io;
    private final Duration limit;
    private Future<Void> timer;

    public ReadTimeoutIo(AsyncIo io, Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("a read timeout must be positive, got " + limit);
        }
        this.io = io;
        this.limit = limit;
    }

    @Override
    public int pollRead(Context cx, IoBuf dst) {
        int n = io.pollRead(cx, dst);
        if (n != PENDING) {
            stopTimer();
            return n;
        }
        if (timer == null) {
            timer = Future.sleep(limit);
        }
        if (timer.poll(cx).isReady()) {
            timer = null;
            SocketTimeoutException e = new SocketTimeoutException("no bytes to read for " + limit + " (Io.withReadTimeout) from " + io);
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return PENDING;
    }

    private void stopTimer() {
        Future<Void> t = timer;
        if (t != null) {
            timer = null;
            t.drop();
        }
    }

    @Override
    public int pollWrite(Context cx, IoBuf src) {
        return io.pollWrite(cx, src);
    }

    @Override
    public boolean pollFlush(Context cx) {
        return io.pollFlush(cx);
    }

    @Override
    public boolean pollShutdown(Context cx) {
        return io.pollShutdown(cx);
    }

    @Override
    public void close() throws IOException {
        stopTimer();
        io.close();
    }

    @Override
    public String toString() {
        return "withReadTimeout(" + limit + ", " + io + ")";
    }
}

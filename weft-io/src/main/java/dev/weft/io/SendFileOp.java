package dev.weft.io;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Task;
import dev.weft.TaskFailedException;
import dev.weft.io.internal.PoolCalls;
import dev.weft.io.internal.nio.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * {@link TcpStream#sendFileFuture}: {@link FileChannel#transferTo} from a file to the stream's
 * non-blocking socket, one call at a time on the blocking pool ({@link PoolCalls}). The
 * {@code FileChannel} is never called on a task's own thread, where the interrupt that cancels the
 * task would close the file for every user (and fail the task with
 * {@code ClosedByInterruptException} instead of cancelling it).
 *
 * <h2>Implementation notes</h2>
 * One poller at a time (the Future contract). Each poll: if a call is in flight ({@link #step}),
 * poll it; its result is the bytes sent (go on with the rest), {@link #FILE_ENDED}, or 0 (the
 * socket's buffer is full: wait until it is writable, then start the next call). Cancelling
 * cancels the call in flight, which skips it if it has not started; one that runs finishes on its
 * pool thread (it is never interrupted). {@link #lastCall()} lets a sequential caller wait for it.
 */
final class SendFileOp implements Future<Long> {
    private static final long FILE_ENDED = -1;

    private final AsyncFile file;
    private final SocketChannel socket;
    private final Registration reg;
    private final long position;
    private final long count;
    private long sent;
    private Task<Long> step;            // the transferTo in flight, or null
    private volatile Task<Long> last;   // the last call started (read by the caller after a cancel)

    SendFileOp(AsyncFile file, SocketChannel socket, Registration reg, long position, long count) {
        this.file = file;
        this.socket = socket;
        this.reg = reg;
        this.position = position;
        this.count = count;
    }

    @Override
    public Poll<Long> poll(Context cx) {
        try {
            for (;;) {
                if (step != null) {
                    Poll<Long> p;
                    try {
                        p = step.poll(cx);
                    } catch (TaskFailedException failed) {
                        step = null;
                        throw unchecked(failed.getCause());
                    }
                    if (p.isPending()) {
                        return Poll.pending();
                    }
                    step = null;
                    long n = p.value();
                    if (n == FILE_ENDED) {
                        return Poll.ready(sent);                // the file ended first
                    }
                    if (n == 0) {
                        reg.awaitWritable(cx);                  // the socket's buffer is full
                        return Poll.pending();
                    }
                    sent += n;
                }
                if (sent >= count) {
                    return Poll.ready(sent);
                }
                if (reg.isClosed()) {
                    throw new ClosedChannelException();
                }
                long at = position + sent;
                long left = count - sent;
                step = PoolCalls.start(() -> transfer(at, left));
                last = step;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** On a pool thread: one {@code transferTo}; the bytes sent, 0 if the socket is full, or {@link #FILE_ENDED}. */
    private long transfer(long at, long left) throws IOException {
        FileChannel ch = file.channelOnPool();
        long n = ch.transferTo(at, left, socket);
        if (n == 0 && at >= ch.size()) {
            return FILE_ENDED;
        }
        return n;
    }

    private static RuntimeException unchecked(Throwable cause) {
        if (cause instanceof IOException io) {
            return new UncheckedIOException(io);
        }
        if (cause instanceof RuntimeException re) {
            return re;
        }
        return new IllegalStateException("sendFile failed on the blocking pool: " + cause, cause);
    }

    /** Skips the call in flight if it has not started; one that runs finishes on its pool thread. */
    @Override
    public void drop() {
        Task<Long> s = step;
        step = null;
        if (s != null) {
            s.cancel();
        }
    }

    /** The last {@code transferTo} call started, or null: a cancelled sequential caller waits for it. */
    Task<Long> lastCall() {
        return last;
    }
}

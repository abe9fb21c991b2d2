package dev.weft.io;

import dev.weft.io.internal.PipeFlow;

/**
 * An in-memory duplex byte stream: two connected {@link PipeEnd}s, each readable and writable,
 * with a bounded buffer each way. What one end writes, the other reads. For tests and for
 * connecting two components in one process without sockets; every {@link AsyncRead},
 * {@link AsyncWrite} and owned-buffer rule holds as for a TCP connection, including half-close,
 * reset, and owned reads that complete before their task polls (the io_uring behaviour).
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="pipe"}
 *
 * <p>Works on every runtime and outside any runtime (sequential calls then block the thread).
 * One reader and one writer per end at a time.
 */
public final class IoPipe {
    private final PipeEnd left;
    private final PipeEnd right;

    private IoPipe(int capacity) {
        PipeFlow leftToRight = new PipeFlow(capacity);
        PipeFlow rightToLeft = new PipeFlow(capacity);
        this.left = new PipeEnd("left", rightToLeft, leftToRight);
        this.right = new PipeEnd("right", leftToRight, rightToLeft);
        left.peer = right;
        right.peer = left;
    }

    /**
     * A pipe that buffers up to {@code capacity} bytes in each direction; a writer waits when the
     * other end has that many unread bytes.
     */
    public static IoPipe create(int capacity) {
        return new IoPipe(capacity);
    }

    /** A pipe with 64 KiB each way. */
    public static IoPipe create() {
        return new IoPipe(64 * 1024);
    }

    /** One end (call it the client's). */
    public PipeEnd left() {
        return left;
    }

    /** The other end (call it the server's). */
    public PipeEnd right() {
        return right;
    }
}

package dev.weft.io;

import dev.weft.Context;
import java.util.Objects;

/**
 * Adds a read-ahead buffer to any {@link AsyncRead}, making it an {@link AsyncBufRead}: parsers look
 * at the buffered bytes in place ({@link #pollFill}) and {@link #consume} what they used; small
 * reads are served from the buffer, one large source read filling it.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="bufRead"}
 *
 * <p>A read into a destination at least as large as the buffer, while the buffer is empty, goes
 * straight to the source (no copy through the buffer). The buffer may be your own, e.g. a direct
 * one from a {@link BufPool}: {@link #BufReader(AsyncRead, IoBuf)}.
 *
 * <p><b>Cancellation</b> loses nothing: bytes stay buffered until returned or consumed.
 * Not thread-safe: one reader at a time.
 */
public final class BufReader implements AsyncBufRead {
    /** The default buffer size: 8 KiB. */
    public static final int DEFAULT_CAPACITY = 8 * 1024;

    private final AsyncRead inner;
    private final IoBuf buf;        // between calls in read mode: position..limit are the buffered bytes
    private final IoBuf view;       // read-only duplicate handed out by pollFill (its indices are reset each time)

    /** A reader with an 8 KiB heap buffer. */
    public BufReader(AsyncRead inner) {
        this(inner, IoBuf.allocate(DEFAULT_CAPACITY));
    }

    /** A reader with a heap buffer of {@code capacity} bytes. */
    public BufReader(AsyncRead inner, int capacity) {
        this(inner, IoBuf.allocate(capacityOf(capacity)));
    }

    /**
     * A reader over {@code buffer} (all of its capacity is used; its content is discarded). The
     * reader owns the buffer from now on; give it back to its pool when done with the reader.
     */
    public BufReader(AsyncRead inner, IoBuf buffer) {
        this.inner = Objects.requireNonNull(inner, "inner");
        if (buffer.capacity() == 0 || buffer.isReadOnly()) {
            throw new IllegalArgumentException("a BufReader needs a writable buffer with room, got " + buffer);
        }
        this.buf = buffer;
        buf.clear().flip();        // empty: position = limit = 0
        this.view = buf.asReadOnly();
    }

    private static int capacityOf(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0, got " + capacity);
        }
        return capacity;
    }

    /** The reader underneath. Reading from it directly skips the buffered bytes. */
    public AsyncRead inner() {
        return inner;
    }

    /** The buffer this reader reads ahead into (for giving it back to its pool after use). */
    public IoBuf buffer() {
        return buf;
    }

    /** The number of bytes buffered now. */
    public int buffered() {
        return buf.remaining();
    }

    @Override
    public IoBuf pollFill(Context cx) {
        if (!buf.hasRemaining()) {
            buf.clear();
            int n;
            try {
                n = inner.pollRead(cx, buf);
            } finally {
                buf.flip();
            }
            if (n == PENDING) {
                return null;
            }
        }
        view.limit(buf.limit());
        view.position(buf.position());
        return view;
    }

    @Override
    public void consume(int n) {
        if (n < 0 || n > buf.remaining()) {
            throw new IllegalArgumentException("cannot consume " + n + " bytes: " + buf.remaining() + " are buffered");
        }
        buf.advance(n);
    }

    @Override
    public int pollRead(Context cx, IoBuf dst) {
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (!buf.hasRemaining() && dst.remaining() >= buf.capacity()) {
            return inner.pollRead(cx, dst);         // large read: no detour through the buffer
        }
        IoBuf have = pollFill(cx);
        if (have == null) {
            return PENDING;
        }
        if (!have.hasRemaining()) {
            return EOF;
        }
        return dst.put(buf);
    }

    @Override
    public String toString() {
        return "BufReader[" + buf.remaining() + " buffered of " + buf.capacity() + ", " + inner + "]";
    }
}

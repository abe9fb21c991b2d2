package dev.weft.io;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Stream;
import dev.weft.io.internal.Blocking;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * A byte stream seen as a stream of frames (lines, length-prefixed messages, your protocol's
 * messages): {@link #next()} and {@link #send} in sequential code; {@link #pollNext} (it is a
 * {@link Stream}) and {@link #sendFuture} in poll code. The {@link Codec} decides the format;
 * {@link Codecs} makes the common ones.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="framed"}
 *
 * <p><b>Reading.</b> Bytes are read into a buffer of the {@code Framed} and decoded there; a frame
 * may span many reads. {@link #next()} returns {@code null} at a clean end of stream. A malformed
 * or oversized frame, or an end of stream in the middle of a frame, throws {@link FrameException};
 * every later read rethrows it (the frame boundary is lost), while writing still works so you can
 * answer before closing. A read error is rethrown the same way.
 *
 * <p><b>Writing.</b> {@link #feed} queues a frame without waiting; {@link #flush()} writes out
 * what is queued; {@link #send} is both. A frame is queued whole or not at all, so it is never sent
 * in part by this {@code Framed}. Over an {@link AsyncBufWrite} (a {@link BufWriter}, a
 * {@link TcpStream}) the codec encodes straight into the writer's buffer, the memory the bytes are
 * sent from, so a frame is never copied in Java after encoding; otherwise, and when the writer has
 * no room at that moment, into this {@code Framed}'s own buffer.
 *
 * <p><b>Cancellation.</b> A pending {@link #pollNext} keeps every byte it read in the buffer, so
 * losing a {@code select} loses no frame. A cancelled {@link #sendFuture} either never queued its
 * frame (cancelled before its first poll) or queued it whole: it then goes out with the next
 * {@code send} or {@code flush}.
 *
 * <p><b>Threads.</b> One reader and one writer may use a {@code Framed} at the same time (their
 * state is separate); not two readers or two writers.
 *
 * @param <T> the frame type
 */
public final class Framed<T> implements Stream<T>, Closeable {
    private static final int INITIAL = 8 * 1024;

    private final AsyncRead in;
    private final AsyncWrite out;
    private final AsyncBufWrite inPlace;    // out, when frames can be encoded into its own buffer
    private final Codec<T> codec;
    private final Closeable closer;

    // read side (one reader)
    private IoBuf rbuf;             // read mode: position..limit are received, undecoded bytes
    private IoBuf rview;            // read-only duplicate of rbuf handed to the codec
    private boolean eof;
    private boolean ended;
    private IOException readFailure;

    // write side (one writer)
    private IoBuf wbuf;             // write mode: [wflushed, position) are encoded, unwritten bytes
    private IoBuf wout;             // duplicate of wbuf for handing bytes to the writer
    private int wflushed;
    private IOException writeFailure;

    private Framed(AsyncRead in, AsyncWrite out, Codec<T> codec, Closeable closer) {
        this.in = in;
        this.out = out;
        this.inPlace = out instanceof AsyncBufWrite b ? b : null;
        this.codec = Objects.requireNonNull(codec, "codec");
        this.closer = closer;
        this.rbuf = IoBuf.allocate(INITIAL).flip();
        this.rview = rbuf.asReadOnly();
        this.wbuf = IoBuf.allocate(INITIAL);
        this.wout = wbuf.duplicate();
    }

    /** Frames over a duplex stream; {@link #close()} closes it. */
    public static <T> Framed<T> of(AsyncIo io, Codec<T> codec) {
        Objects.requireNonNull(io, "io");
        return new Framed<>(io, io, codec, io);
    }

    /**
     * Frames over a reader and a writer (either may be null for a one-way {@code Framed});
     * {@link #close()} closes those that are {@link Closeable}.
     */
    public static <T> Framed<T> of(AsyncRead in, AsyncWrite out, Codec<T> codec) {
        Closeable closer = () -> {
            try {
                if (in instanceof Closeable c) {
                    c.close();
                }
            } finally {
                if (out instanceof Closeable c && out != in) {
                    c.close();
                }
            }
        };
        return new Framed<>(in, out, codec, closer);
    }

    // ------------------------------------------------------------------ reading

    /**
     * The next frame, the end ({@link Poll#end()}) at a clean end of stream, or pending.
     *
     * @throws UncheckedIOException whose cause is the {@link FrameException} or I/O error; thrown
     *         again by every later read
     */
    @Override
    public Poll<T> pollNext(Context cx) {
        if (readFailure != null) {
            throw new UncheckedIOException(readFailure.getMessage(), readFailure);
        }
        if (in == null) {
            throw new IllegalStateException("this Framed has no reader");
        }
        if (ended) {
            return Poll.end();
        }
        try {
            for (;;) {
                if (rbuf.hasRemaining()) {
                    rview.limit(rbuf.limit());
                    rview.position(rbuf.position());
                    T item = eof ? codec.decodeEof(rview) : codec.decode(rview);
                    if (item != null) {
                        rbuf.position(rview.position());
                        return Poll.ready(item);
                    }
                    if (eof) {
                        throw new FrameException(FrameException.Kind.TRUNCATED, "the stream ended in the middle of a "
                                + "frame (" + rbuf.remaining() + " bytes left undecoded)", -1, rbuf.remaining());
                    }
                } else if (eof) {
                    ended = true;
                    return Poll.end();
                }
                int n = readMore(cx);
                if (n == AsyncRead.PENDING) {
                    return Poll.pending();
                }
                if (n == AsyncRead.EOF) {
                    eof = true;
                }
            }
        } catch (FrameException e) {
            readFailure = e;
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (UncheckedIOException e) {
            readFailure = e.getCause();
            throw e;
        }
    }

    /** Reads more bytes after the buffered ones, making room first. */
    private int readMore(Context cx) throws FrameException {
        int start = rbuf.position();
        int end = rbuf.limit();
        if (start == end) {
            start = 0;
            end = 0;
        } else if (end == rbuf.capacity()) {
            if (start > 0) {
                rbuf.compact().flip();
            } else {
                grow(end);
            }
            start = 0;
            end = rbuf.limit();
        }
        rbuf.limit(rbuf.capacity()).position(end);
        try {
            return in.pollRead(cx, rbuf);
        } finally {
            rbuf.limit(rbuf.position()).position(start);
        }
    }

    private void grow(int used) throws FrameException {
        int cap = rbuf.capacity();
        if (cap >= Integer.MAX_VALUE - 16) {
            throw new FrameException(FrameException.Kind.OVERSIZED, "a frame does not fit in 2 GiB: the codec accepted "
                    + used + " bytes without finding its end. Give the codec a limit", Integer.MAX_VALUE, used);
        }
        IoBuf bigger = IoBuf.allocate((int) Math.min((long) cap * 2, Integer.MAX_VALUE - 16));
        bigger.put(rbuf.position(0));
        rbuf = bigger.flip();
        rview = rbuf.asReadOnly();
    }

    /**
     * The next frame, parking until it has arrived; {@code null} at a clean end of stream.
     *
     * @throws FrameException for a malformed, oversized or truncated frame (and again on every later call)
     * @throws IOException on a read error
     */
    public T next() throws IOException {
        return Blocking.await(nextFuture());
    }

    /** A future of the next frame ({@code null} at the end); cancel-safe: a lost select loses no frame. */
    public Future<T> nextFuture() {
        return cx -> {
            Poll<T> p = pollNext(cx);
            if (p.isPending()) {
                return Poll.pending();
            }
            return Poll.ready(p.isEnd() ? null : p.value());
        };
    }

    // ------------------------------------------------------------------ writing

    private AsyncWrite writer() throws IOException {
        if (writeFailure != null) {
            throw writeFailure;
        }
        if (out == null) {
            throw new IllegalStateException("this Framed has no writer");
        }
        return out;
    }

    /**
     * Queues {@code item} without waiting: encoded into the writer's own buffer when it is an
     * {@link AsyncBufWrite} with room now (a socket may start sending it at once), else into this
     * {@code Framed}'s buffer, which grows as needed: call {@link #flush()} to bound it.
     *
     * @throws FrameException if the codec refuses the item (nothing is queued)
     * @throws IOException if an earlier write failed
     */
    public void feed(T item) throws IOException {
        writer();
        int need = codec.maxEncodedLength(item);
        if (encodeInPlace(Context.noop(), item, need) == QUEUED) {
            return;
        }
        if (wbuf.remaining() < need) {
            makeRoom(need);
        }
        int mark = wbuf.position();
        try {
            codec.encode(item, wbuf);
        } catch (IOException | RuntimeException e) {
            wbuf.position(mark);
            throw e;
        }
    }

    private static final int QUEUED = 0;
    private static final int NO_ROOM = 1;
    private static final int NOT_HERE = 2;

    /**
     * Encodes {@code item} into the writer's own buffer when it is an {@link AsyncBufWrite} and
     * nothing of this {@code Framed}'s buffer waits to go before it.
     *
     * @return {@link #QUEUED}; {@link #NO_ROOM} when the writer has no room now (a wake is arranged
     *         through {@code cx}); {@link #NOT_HERE} when the frame must go through this buffer
     */
    private int encodeInPlace(Context cx, T item, int need) throws FrameException {
        if (inPlace == null || wflushed < wbuf.position() || need > inPlace.maxReserve()) {
            return NOT_HERE;
        }
        IoBuf room = inPlace.pollReserve(cx, Math.max(1, need));
        if (room == null) {
            return NO_ROOM;
        }
        try {
            codec.encode(item, room);
        } catch (FrameException | RuntimeException e) {
            inPlace.commit(0);
            throw e;
        }
        inPlace.commit(room.position());
        return QUEUED;
    }

    private void makeRoom(int need) {
        int pending = wbuf.position() - wflushed;
        if (wbuf.capacity() - pending >= need) {
            wbuf.limit(wbuf.position()).position(wflushed);
            wbuf.compact();
        } else {
            long cap = Math.max((long) wbuf.capacity() * 2, (long) pending + need);
            if (cap > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("write buffer would exceed 2 GiB: flush() between frames");
            }
            IoBuf bigger = IoBuf.allocate((int) cap);
            bigger.put(wbuf.limit(wbuf.position()).position(wflushed));
            wbuf = bigger;
            wout = wbuf.duplicate();
        }
        wflushed = 0;
    }

    /**
     * Writes the write buffer out and flushes the writer.
     *
     * @return true when done; false after arranging a wake
     * @throws UncheckedIOException on a write error (every later write rethrows it)
     */
    public boolean pollFlush(Context cx) {
        if (writeFailure != null) {
            throw new UncheckedIOException(writeFailure.getMessage(), writeFailure);
        }
        if (out == null) {
            throw new IllegalStateException("this Framed has no writer");
        }
        try {
            while (wflushed < wbuf.position()) {
                wout.limit(wbuf.position()).position(wflushed);
                int n = out.pollWrite(cx, wout);
                if (n == AsyncRead.PENDING) {
                    return false;
                }
                wflushed += n;
            }
            wbuf.clear();
            wflushed = 0;
            return out.pollFlush(cx);
        } catch (UncheckedIOException e) {
            writeFailure = e.getCause();
            throw e;
        }
    }

    /** Writes out every queued frame, parking until done. */
    public void flush() throws IOException {
        writer();
        Blocking.await(flushFuture());
    }

    /** {@link #pollFlush} as a future. */
    public Future<Void> flushFuture() {
        return cx -> pollFlush(cx) ? Poll.ready(null) : Poll.pending();
    }

    /**
     * Sends {@code item}: encodes it and writes it out (with anything queued before), parking until
     * written.
     *
     * @throws FrameException if the codec refuses the item (nothing is sent)
     * @throws IOException on a write error
     */
    public void send(T item) throws IOException {
        feed(item);
        flush();
    }

    /**
     * A future that sends {@code item}: at its first poll the frame is queued whole
     * ({@link #feed}), then written out. Fails with an {@link UncheckedIOException} (cause: the
     * {@link FrameException} or I/O error).
     */
    public Future<Void> sendFuture(T item) {
        return new Future<>() {
            private boolean queued;

            @Override
            public Poll<Void> poll(Context cx) {
                if (!queued) {
                    try {
                        writer();
                        int need = codec.maxEncodedLength(item);
                        int r = encodeInPlace(cx, item, need);
                        if (r == NO_ROOM) {
                            return Poll.pending();      // nothing queued yet: cancelling now sends nothing
                        }
                        if (r == NOT_HERE) {
                            feed(item);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e.getMessage(), e);
                    }
                    queued = true;
                }
                return pollFlush(cx) ? Poll.ready(null) : Poll.pending();
            }
        };
    }

    /** Frames queued in this {@code Framed}'s own buffer beyond which {@link #sink()} waits for a flush. */
    static final int SINK_HIGH_WATER = 64 * 1024;

    /**
     * The write half as a {@link dev.weft.Sink} (seed 003: a protocol written once against the
     * standard traits): {@code startSend} queues a frame ({@link #feed}); the sink is ready while
     * fewer than 64 KiB wait in this {@code Framed}'s buffer, else once they are flushed;
     * {@code pollFlush} writes out; {@code pollClose} flushes, then shuts the writer's output
     * down (the peer reads the end). Failures come as {@link UncheckedIOException} (cause: the
     * {@link FrameException} or I/O error). One task at a time, as for the rest of the write half.
     */
    public dev.weft.Sink<T> sink() {
        return new dev.weft.Sink<>() {
            private boolean flushedForClose;

            @Override
            public Poll<Void> pollReady(Context cx) {
                if (wbuf == null || wbuf.position() - wflushed < SINK_HIGH_WATER) {
                    return Poll.ready(null);
                }
                return Framed.this.pollFlush(cx) ? Poll.ready(null) : Poll.pending();
            }

            @Override
            public void startSend(T item) {
                try {
                    feed(item);
                } catch (IOException e) {
                    throw new UncheckedIOException(e.getMessage(), e);
                }
            }

            @Override
            public Poll<Void> pollFlush(Context cx) {
                return Framed.this.pollFlush(cx) ? Poll.ready(null) : Poll.pending();
            }

            @Override
            public Poll<Void> pollClose(Context cx) {
                if (!flushedForClose) {
                    if (!Framed.this.pollFlush(cx)) {
                        return Poll.pending();
                    }
                    flushedForClose = true;
                }
                return out.pollShutdown(cx) ? Poll.ready(null) : Poll.pending();
            }

            @Override
            public String toString() {
                return "sink(" + Framed.this + ")";
            }
        };
    }

    /** Closes the stream(s) underneath, without flushing (call {@link #flush()} first). */
    @Override
    public void close() throws IOException {
        if (closer != null) {
            closer.close();
        }
    }

    @Override
    public String toString() {
        return "Framed[" + codec.getClass().getSimpleName() + ", " + rbuf.remaining() + " bytes buffered in, "
                + (wbuf.position() - wflushed) + " queued out" + (readFailure != null ? ", read failed" : "")
                + (writeFailure != null ? ", write failed" : "") + "]";
    }
}

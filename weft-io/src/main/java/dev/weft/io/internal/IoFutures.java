package dev.weft.io.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Stream;
import dev.weft.io.AsyncBufRead;
import dev.weft.io.AsyncBufWrite;
import dev.weft.io.AsyncRead;
import dev.weft.io.AsyncWrite;
import dev.weft.io.FrameException;
import dev.weft.io.IoBuf;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;

/**
 * The state machines behind {@code Io}'s helpers. Each keeps its progress in the caller's buffer
 * (or in the reader's buffer), so a cancelled helper has lost no byte: see each for what is where.
 * One poller at a time, as every future.
 */
public final class IoFutures {
    private IoFutures() { }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e.getMessage(), e);
    }

    /** Reads exactly {@code n} bytes into {@code dst}; the bytes read so far are in {@code dst} if cancelled. */
    public static Future<Void> readExact(AsyncRead in, IoBuf dst, int n) {
        if (n < 0 || n > dst.remaining()) {
            throw new IllegalArgumentException("cannot read " + n + " bytes into " + dst + ": it has room for " + dst.remaining());
        }
        int target = dst.position() + n;
        return new Future<>() {                 // a class, not a NamedFuture: no name is built per call
            @Override
            public Poll<Void> poll(Context cx) {
                while (dst.position() < target) {
                    int oldLimit = dst.limit();
                    dst.limit(target);
                    int r;
                    try {
                        r = in.pollRead(cx, dst);
                    } finally {
                        dst.limit(oldLimit);
                    }
                    if (r == AsyncRead.PENDING) {
                        return Poll.pending();
                    }
                    if (r == AsyncRead.EOF) {
                        int got = n - (target - dst.position());
                        throw unchecked(new EOFException("the stream ended after " + got + " of the " + n + " bytes expected"));
                    }
                }
                return Poll.ready(null);
            }

            @Override
            public String toString() {
                return "readExact " + n + " bytes(" + dev.weft.internal.TaskDump.describe(in) + ")";
            }
        };
    }

    /** Writes all of {@code src}; its position shows the progress if cancelled. Ready with the count. */
    public static Future<Integer> writeAll(AsyncWrite out, IoBuf src) {
        int total = src.remaining();
        return new Future<>() {
            @Override
            public Poll<Integer> poll(Context cx) {
                while (src.hasRemaining()) {
                    if (out.pollWrite(cx, src) == AsyncRead.PENDING) {
                        return Poll.pending();
                    }
                }
                return Poll.ready(total);
            }

            @Override
            public String toString() {
                return "writeAll " + total + " bytes(" + dev.weft.internal.TaskDump.describe(out) + ")";
            }
        };
    }

    /** Reads until the end of stream into a growing heap buffer (flipped when done). */
    public static Future<IoBuf> readToEnd(AsyncRead in, int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        return new Future<>() {
            private IoBuf buf = IoBuf.allocate((int) Math.min(8192L, (long) maxBytes + 1));

            @Override
            public Poll<IoBuf> poll(Context cx) {
                for (;;) {
                    if (!buf.hasRemaining()) {
                        if (buf.capacity() > maxBytes) {
                            throw unchecked(new IOException("the stream has more than " + maxBytes + " bytes: raise maxBytes "
                                    + "of readToEnd, or read it in parts"));
                        }
                        IoBuf bigger = IoBuf.allocate((int) Math.min((long) buf.capacity() * 2, (long) maxBytes + 1));
                        bigger.put(buf.flip());
                        buf = bigger;
                    }
                    int r = in.pollRead(cx, buf);
                    if (r == AsyncRead.PENDING) {
                        return Poll.pending();
                    }
                    if (r == AsyncRead.EOF) {
                        return Poll.ready(buf.flip());
                    }
                }
            }

            @Override
            public String toString() {
                return "readToEnd(" + dev.weft.internal.TaskDump.describe(in) + ", " + buf.position() + " bytes so far)";
            }
        };
    }

    /**
     * Copies until the end of {@code in}, through {@code buf}, then flushes {@code out}. Between
     * polls {@code buf}'s position..limit hold the bytes read and not yet written: if cancelled,
     * they are there.
     */
    public static Future<Long> copy(AsyncRead in, AsyncWrite out, IoBuf buf) {
        if (buf.capacity() == 0 || buf.isReadOnly()) {
            throw new IllegalArgumentException("copy needs a writable buffer with room, got " + buf);
        }
        buf.clear().flip();
        return new Future<>() {
            private long total;
            private boolean eof;

            @Override
            public Poll<Long> poll(Context cx) {
                for (;;) {
                    if (buf.hasRemaining()) {
                        int n = out.pollWrite(cx, buf);
                        if (n == AsyncRead.PENDING) {
                            return Poll.pending();
                        }
                        total += n;
                    } else if (eof) {
                        return out.pollFlush(cx) ? Poll.ready(total) : Poll.pending();
                    } else {
                        buf.clear();
                        int r;
                        try {
                            r = in.pollRead(cx, buf);
                        } finally {
                            buf.flip();
                        }
                        if (r == AsyncRead.PENDING) {
                            return Poll.pending();
                        }
                        if (r == AsyncRead.EOF) {
                            eof = true;
                        }
                    }
                }
            }
        };
    }

    /**
     * Copies until the end of {@code in} by reading straight into the room {@code out} lends, then
     * flushes {@code out}: no buffer of its own, no copy in Java. Every byte read is committed at
     * once, so a cancelled copy holds none.
     */
    public static Future<Long> copyInPlace(AsyncRead in, AsyncBufWrite out) {
        int want = Math.min(out.maxReserve(), 8192);
        return new Future<>() {
            private long total;
            private boolean eof;

            @Override
            public Poll<Long> poll(Context cx) {
                while (!eof) {
                    IoBuf room = out.pollReserve(cx, want);
                    if (room == null) {
                        return Poll.pending();
                    }
                    int r;
                    try {
                        r = in.pollRead(cx, room);
                    } finally {
                        out.commit(room.position());
                    }
                    if (r == AsyncRead.PENDING) {
                        return Poll.pending();
                    }
                    if (r == AsyncRead.EOF) {
                        eof = true;
                    } else {
                        total += r;
                    }
                }
                return out.pollFlush(cx) ? Poll.ready(total) : Poll.pending();
            }
        };
    }

    /** Copies from a buffered reader's own buffer (no second buffer); bytes are consumed only once written. */
    public static Future<Long> copyBuffered(AsyncBufRead in, AsyncWrite out) {
        return new Future<>() {
            private long total;
            private boolean eof;

            @Override
            public Poll<Long> poll(Context cx) {
                for (;;) {
                    if (eof) {
                        return out.pollFlush(cx) ? Poll.ready(total) : Poll.pending();
                    }
                    IoBuf view = in.pollFill(cx);
                    if (view == null) {
                        return Poll.pending();
                    }
                    if (!view.hasRemaining()) {
                        eof = true;
                        continue;
                    }
                    int n = out.pollWrite(cx, view);
                    if (n == AsyncRead.PENDING) {
                        return Poll.pending();
                    }
                    in.consume(n);
                    total += n;
                }
            }
        };
    }

    /** The lines of a buffered reader as a stream. */
    public static Stream<String> lines(AsyncBufRead in, int maxLineLength) {
        LineBytes line = new LineBytes(maxLineLength, CodingErrorAction.REPORT, "Io.lines");
        return new Stream<>() {
            private boolean ended;

            @Override
            public Poll<String> pollNext(Context cx) {
                if (ended) {
                    return Poll.end();
                }
                try {
                    for (;;) {
                        IoBuf view = in.pollFill(cx);
                        if (view == null) {
                            return Poll.pending();
                        }
                        if (!view.hasRemaining()) {
                            if (line.length() == 0) {
                                ended = true;
                                return Poll.end();
                            }
                            return Poll.ready(line.takeLine());
                        }
                        int start = view.position();
                        int nl = view.indexOf((byte) '\n');
                        if (nl >= 0) {
                            line.checkUnterminated((long) line.length() + (nl - start));
                            line.append(view, start, nl - start);
                            in.consume(nl - start + 1);
                            return Poll.ready(line.takeLine());
                        }
                        int n = view.remaining();
                        line.checkUnterminated((long) line.length() + n);
                        line.append(view, start, n);
                        in.consume(n);
                    }
                } catch (FrameException e) {
                    ended = true;
                    throw unchecked(e);
                }
            }
        };
    }
}

package dev.weft.io;

import dev.weft.Future;
import dev.weft.Stream;
import dev.weft.io.internal.Blocking;
import dev.weft.io.internal.IoFutures;
import java.io.IOException;
import java.util.Objects;

/**
 * Helpers over the readiness traits, each as a sequential method (parks the task, throws
 * {@link IOException}) and as a future (for poll code; fails with
 * {@link java.io.UncheckedIOException}). None forces a copy: they read into and write from your
 * buffer, or look into an {@link AsyncBufRead}'s buffer in place.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="helpers"}
 *
 * <p><b>Cancellation.</b> Progress lives in your buffer, so a cancelled helper loses no byte:
 * after a cancelled {@code readExact} the bytes read so far are in {@code dst} (its position
 * moved); after a cancelled {@code writeAll}, {@code src}'s position tells what was written; after
 * a cancelled {@code copy} with your buffer, the bytes read and not yet written are between its
 * position and limit; a buffered reader keeps what was not written.
 */
public final class Io {
    private Io() { }

    /**
     * Reads exactly {@code n} bytes into {@code dst} at its position, parking as needed.
     *
     * @throws java.io.EOFException if the stream ends first (the bytes that came are in {@code dst})
     * @throws IllegalArgumentException if {@code dst} has room for fewer than {@code n} bytes
     */
    public static void readExact(AsyncRead in, IoBuf dst, int n) throws IOException {
        Blocking.await(readExactFuture(in, dst, n));
    }

    /** {@link #readExact} as a future. */
    public static Future<Void> readExactFuture(AsyncRead in, IoBuf dst, int n) {
        return IoFutures.readExact(Objects.requireNonNull(in, "in"), dst, n);
    }

    /**
     * Reads until the end of the stream; returns a heap buffer holding the bytes (position 0,
     * limit the count). The buffer grows by doubling (as {@code InputStream.readAllBytes} does);
     * for a known size use {@link #readExact} into your own buffer.
     *
     * @throws IOException if the stream has more than {@code maxBytes} bytes, or on an I/O error
     */
    public static IoBuf readToEnd(AsyncRead in, int maxBytes) throws IOException {
        return Blocking.await(readToEndFuture(in, maxBytes));
    }

    /** {@link #readToEnd} as a future. */
    public static Future<IoBuf> readToEndFuture(AsyncRead in, int maxBytes) {
        return IoFutures.readToEnd(Objects.requireNonNull(in, "in"), maxBytes);
    }

    /**
     * The lines of {@code in} (UTF-8; {@code \n} or {@code \r\n}, not part of the line), found in the
     * reader's buffer in place; the last line may lack a line break. In a sequential task:
     * {@code for (String line : Weft.iterate(Io.lines(in, 8192)))}.
     *
     * <p>A line longer than {@code maxLineLength} bytes, or invalid UTF-8, ends the stream with an
     * {@link java.io.UncheckedIOException} whose cause is a {@link FrameException}. A line is
     * consumed from the reader as it is scanned: a pending poll keeps the partial line in the
     * stream, so polling it again loses nothing; abandoning the stream mid-line loses that line.
     */
    public static Stream<String> lines(AsyncBufRead in, int maxLineLength) {
        return IoFutures.lines(Objects.requireNonNull(in, "in"), maxLineLength);
    }

    /**
     * Writes every remaining byte of {@code src}, parking as needed; {@code src}'s position ends at
     * its limit.
     *
     * @return the number of bytes written
     */
    public static int writeAll(AsyncWrite out, IoBuf src) throws IOException {
        return Blocking.await(writeAllFuture(out, src));
    }

    /** {@link #writeAll} as a future. */
    public static Future<Integer> writeAllFuture(AsyncWrite out, IoBuf src) {
        return IoFutures.writeAll(Objects.requireNonNull(out, "out"), src);
    }

    /**
     * Copies everything from {@code in} to {@code out} until the end of {@code in}, then flushes
     * {@code out} (it does not shut it down). From an {@link AsyncBufRead} the bytes go straight
     * from its buffer; into an {@link AsyncBufWrite} they are read straight into its buffer;
     * otherwise through an 8 KiB buffer (pass your own with
     * {@link #copy(AsyncRead, AsyncWrite, IoBuf)} to keep the bytes in flight if cancelled).
     *
     * @return the number of bytes copied
     */
    public static long copy(AsyncRead in, AsyncWrite out) throws IOException {
        return Blocking.await(copyFuture(in, out));
    }

    /** {@link #copy(AsyncRead, AsyncWrite)} through {@code buf} (its content is discarded first). */
    public static long copy(AsyncRead in, AsyncWrite out, IoBuf buf) throws IOException {
        return Blocking.await(copyFuture(in, out, buf));
    }

    /** {@link #copy(AsyncRead, AsyncWrite)} as a future. */
    public static Future<Long> copyFuture(AsyncRead in, AsyncWrite out) {
        Objects.requireNonNull(out, "out");
        if (in instanceof AsyncBufRead buffered) {
            return IoFutures.copyBuffered(buffered, out);
        }
        if (out instanceof AsyncBufWrite room) {
            return IoFutures.copyInPlace(Objects.requireNonNull(in, "in"), room);
        }
        return IoFutures.copy(Objects.requireNonNull(in, "in"), out, IoBuf.allocate(8192));
    }

    /** {@link #copy(AsyncRead, AsyncWrite, IoBuf)} as a future. */
    public static Future<Long> copyFuture(AsyncRead in, AsyncWrite out, IoBuf buf) {
        return IoFutures.copy(Objects.requireNonNull(in, "in"), Objects.requireNonNull(out, "out"), buf);
    }

    /**
     * {@code io} with a read timeout: a read that finds nothing for {@code limit} fails with
     * {@link java.net.SocketTimeoutException} (sequential forms) or an
     * {@link java.io.UncheckedIOException} carrying it (futures), as {@code Socket.setSoTimeout}
     * does for {@code java.net}. The clock runs only while a read waits, from its first empty
     * poll to the first byte or the end; writes pass through. The stream is unharmed by a
     * timeout: read again, or close it. Wraps any {@link AsyncIo}: a socket, a pipe, a TLS or
     * compression layer.
     */
    public static AsyncIo withReadTimeout(AsyncIo io, java.time.Duration limit) {
        return new dev.weft.io.internal.ReadTimeoutIo(Objects.requireNonNull(io, "io"), Objects.requireNonNull(limit, "limit"));
    }
}

package dev.weft.io;

import dev.weft.io.internal.CompressedIo;
import java.util.Objects;
import java.util.zip.Deflater;

/**
 * Compression as a plain wrapper over any {@link AsyncIo} (seed 003: middleware written once
 * against the standard traits runs on every runtime and every transport): what is written is
 * compressed on its way down, what is read is decompressed on its way up. A socket, a pipe, a
 * TLS session: {@code Compression.gzip(Tls.client(tcp, ssl, host))} or the other way round.
 *
 * {@snippet :
 * AsyncIo zipped = Compression.deflate(TcpStream.connect(addr));
 * Io.writeAll(zipped, IoBuf.wrap("GET key\n".getBytes(US_ASCII)));
 * zipped.flush();                               // a sync flush: the server can decompress the request now
 * int n = zipped.readInto(reply);               // decompressed bytes
 * }
 *
 * <p><b>Flush semantics.</b> Writes are buffered; {@code flush} (or {@code pollFlush}) ends the
 * bytes written so far with a zlib sync flush and pushes them down, so the peer can decompress
 * every one of them: a request/response protocol flushes after each message, as it would over a
 * buffered socket. {@code shutdownOutput} finishes the format (gzip's trailer) and half-closes.
 * {@code close} releases the native deflater and inflater and closes the stream below without
 * flushing.
 *
 * <p><b>Formats and errors.</b> {@link #deflate} is the zlib format of {@code java.util.zip}'s
 * {@code DeflaterOutputStream} and {@code InflaterInputStream}; {@link #gzip} is
 * {@code GZIPOutputStream}'s and {@code GZIPInputStream}'s (members read one after another; zero
 * padding after the last member is the end, as there). The end of the compressed data is the end
 * of what a read returns only once the stream below ends too: bytes after a zlib stream's end, or
 * anything but a gzip member or padding after a gzip member, are an error, not silently dropped.
 * Compressed input that is corrupt (a bad block, a gzip CRC or length that does not match, a
 * wrong magic number) fails the read with a {@link java.util.zip.ZipException}; input that ends
 * in the middle fails it with an {@link java.io.EOFException}; neither looks like a clean end of
 * stream. In poll code they come wrapped in an {@link java.io.UncheckedIOException}.
 *
 * <p>One reader and one writer may run at once, as over a socket.
 */
public final class Compression {
    private Compression() { }

    /** {@code io} with zlib compression (deflate, default level) both ways. */
    public static AsyncIo deflate(AsyncIo io) {
        return deflate(io, Deflater.DEFAULT_COMPRESSION);
    }

    /**
     * {@code io} with zlib compression both ways, writing at {@code level}
     * ({@link Deflater#BEST_SPEED} 1 to {@link Deflater#BEST_COMPRESSION} 9, or -1 for the default).
     */
    public static AsyncIo deflate(AsyncIo io, int level) {
        return new CompressedIo(Objects.requireNonNull(io, "io"), false, checkLevel(level));
    }

    /** {@code io} with gzip compression (default level) both ways. */
    public static AsyncIo gzip(AsyncIo io) {
        return gzip(io, Deflater.DEFAULT_COMPRESSION);
    }

    /** {@code io} with gzip compression both ways, writing at {@code level} (1 to 9, or -1). */
    public static AsyncIo gzip(AsyncIo io, int level) {
        return new CompressedIo(Objects.requireNonNull(io, "io"), true, checkLevel(level));
    }

    private static int checkLevel(int level) {
        if (level != Deflater.DEFAULT_COMPRESSION && (level < 0 || level > 9)) {
            throw new IllegalArgumentException("a compression level is 0 to 9, or -1 for the default; got " + level);
        }
        return level;
    }
}

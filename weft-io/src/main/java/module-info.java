/**
 * Weft's I/O layer: buffers ({@link dev.weft.io.IoBuf}, {@link dev.weft.io.BufPool}), the
 * borrowed-buffer readiness traits ({@link dev.weft.io.AsyncRead}, {@link dev.weft.io.AsyncWrite},
 * {@link dev.weft.io.AsyncBufRead}), the owned-buffer completion traits
 * ({@link dev.weft.io.OwnedRead}, {@link dev.weft.io.OwnedWrite}), helpers ({@link dev.weft.io.Io}),
 * codecs ({@link dev.weft.io.Framed}, {@link dev.weft.io.Codecs}) and an in-memory duplex pipe
 * ({@link dev.weft.io.IoPipe}). The NIO readiness driver lives in {@code dev.weft.io.internal.nio}.
 */
module dev.weft.io {
    requires transitive dev.weft.core;

    exports dev.weft.io;
    exports dev.weft.io.spi;

    uses dev.weft.io.spi.IoDriverProvider;
}

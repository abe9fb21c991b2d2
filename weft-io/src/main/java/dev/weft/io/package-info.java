/**
 * Weft's I/O: buffers over {@link java.lang.foreign.MemorySegment} ({@link dev.weft.io.IoBuf},
 * {@link dev.weft.io.BufPool}); two I/O contracts, each with a poll form and a sequential form
 * (borrowed-buffer readiness: {@link dev.weft.io.AsyncRead}, {@link dev.weft.io.AsyncWrite},
 * {@link dev.weft.io.AsyncBufRead}; owned-buffer completion: {@link dev.weft.io.OwnedRead},
 * {@link dev.weft.io.OwnedWrite}); helpers ({@link dev.weft.io.Io}); framing
 * ({@link dev.weft.io.Framed}, {@link dev.weft.io.Codecs}); and an in-memory pipe
 * ({@link dev.weft.io.IoPipe}) for tests.
 */
package dev.weft.io;

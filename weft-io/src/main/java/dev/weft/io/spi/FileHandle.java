package dev.weft.io.spi;

import dev.weft.io.IoBuf;
import java.io.IOException;

/**
 * An open file as a driver serves it to {@link dev.weft.io.AsyncFile}: each call parks the calling
 * sequential task until done, and keeps {@code AsyncFile}'s promises: a cancelled call throws
 * {@link dev.weft.CancelledException} only once the buffer is no longer used by the operation,
 * with the bytes it moved accounted in the buffer's position; closing waits for no caller's
 * operation to be lost.
 */
public interface FileHandle {
    /** Reads into {@code dst} at {@code position}: the count (advancing {@code dst}), or -1 at end of file. */
    int readAt(IoBuf dst, long position) throws IOException;

    /**
     * Poll form of {@link #readAt}: reads up to {@code dst.remaining()} bytes at {@code position}
     * into memory of the operation's own, copied into {@code dst} (and {@code dst} advanced) only
     * in the poll that completes it; the result is the count, or -1 at end of file. Dropping it
     * earlier leaves {@code dst} untouched (the operation's memory is freed once the operation
     * has let go of it).
     */
    dev.weft.Future<Integer> readAtFuture(IoBuf dst, long position);

    /** Writes all of {@code src}'s remaining bytes at {@code position} (advancing {@code src}); returns the count. */
    int writeAllAt(IoBuf src, long position) throws IOException;

    /** The file's size in bytes. */
    long size() throws IOException;

    /** Forces written data (and metadata if {@code metaData}) to the device. */
    void sync(boolean metaData) throws IOException;

    /** False once closed. */
    boolean isOpen();

    /** Closes the file; idempotent. */
    void close() throws IOException;
}

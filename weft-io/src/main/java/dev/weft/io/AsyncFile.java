package dev.weft.io;

import dev.weft.Runtime;
import dev.weft.io.internal.IoDrivers;
import dev.weft.io.internal.PoolFile;
import dev.weft.io.spi.FileHandle;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * A file with positional reads and writes. On the NIO driver (the default) every call runs on the
 * current runtime's blocking pool ({@link Runtime#spawnBlocking}): file systems offer no
 * readiness, so a worker never blocks on disk; every call on the underlying {@link FileChannel}
 * (open, read, write, size, force, close) runs there. On the io_uring driver (the runtime's
 * {@code ioDriver("io_uring")}, module weft-uring) the kernel does the work: open, read, write,
 * sync and close are io_uring operations and no pool thread is used. In a sequential task the calls read like {@link FileChannel}'s; they park the task,
 * so they cannot be called from a poll; poll tasks read with {@link #readAtFuture}.
 *
 * {@snippet class="dev.weft.io.snippets.NetSnippets" region="file"}
 *
 * <p><b>Cancellation.</b> The pool thread writes into (or reads from) the caller's buffer, so a
 * cancelled call waits, shielded, for that thread to finish with the buffer before it throws
 * {@link dev.weft.CancelledException}: the buffer is never touched after the call returns or throws. The
 * bytes such a cancelled read took are in the buffer (its position is advanced past them), and
 * the bytes a cancelled write wrote are consumed from its source (its position too). The pool thread
 * is never interrupted, because an interrupt closes a {@link FileChannel} for every user: the pool
 * task is uninterruptible (a call not started yet is skipped, one that runs finishes), so
 * cancelling one task's call never closes the file for the others. A cancelled {@link #open}
 * closes the file it opened.
 *
 * <p>Any number of tasks may read and write at different positions at once.
 */
public final class AsyncFile implements AutoCloseable {
    private final FileHandle handle;
    private final Path path;
    /** The pool's channel, or (on another driver) one opened for {@code sendFile}; guarded by this file's lock. */
    private volatile FileChannel channel;
    private final dev.weft.internal.SpinLock channelLock = new dev.weft.internal.SpinLock();

    private AsyncFile(FileHandle handle, FileChannel channel, Path path) {
        this.handle = handle;
        this.channel = channel;
        this.path = path;
    }

    /** Opens {@code path} (default: for reading) through the current runtime's I/O driver. */
    public static AsyncFile open(Path path, OpenOption... options) throws IOException {
        return open(IoDrivers.current(), path, options);
    }

    static AsyncFile open(dev.weft.io.spi.IoDriver driver, Path path, OpenOption... options) throws IOException {
        java.util.Objects.requireNonNull(path, "path");
        OpenOption[] opts = options.length == 0 ? new OpenOption[] {StandardOpenOption.READ} : options;
        FileHandle handle = driver.openFile(path, Set.of(opts));
        return new AsyncFile(handle, handle instanceof PoolFile pool ? pool.channel() : null, path);
    }

    /** Reads into {@code dst} at file offset {@code position}: the count read, or -1 at end of file. */
    public int readAt(IoBuf dst, long position) throws IOException {
        return handle.readAt(dst, position);
    }

    /**
     * Reads into {@code dst} at {@code position}, as a future for poll tasks: the count, or -1 at
     * end of file. The bytes land in memory of the read's own and are copied into {@code dst} (at
     * its position, which advances) in the poll that completes it; dropping the future before
     * then leaves {@code dst} untouched. On io_uring the kernel reads (no pool thread); on NIO the
     * read runs on the blocking pool.
     */
    public dev.weft.Future<Integer> readAtFuture(IoBuf dst, long position) {
        java.util.Objects.requireNonNull(dst, "dst");
        if (position < 0) {
            throw new IllegalArgumentException("a negative file position: " + position);
        }
        return handle.readAtFuture(dst, position);
    }

    /** Writes {@code src}'s remaining bytes at file offset {@code position}, all of them; returns the count. */
    public int writeAllAt(IoBuf src, long position) throws IOException {
        return handle.writeAllAt(src, position);
    }

    /** The file's size in bytes. */
    public long size() throws IOException {
        return handle.size();
    }

    /** Forces written data (and metadata if {@code metaData}) to the device. */
    public void sync(boolean metaData) throws IOException {
        handle.sync(metaData);
    }

    /**
     * The file as a {@link FileChannel}, for {@code transferTo} between a file and a socket; called
     * on a blocking-pool thread only. On a driver other than the pool's, a channel is opened for
     * reading on first use and closed with the file.
     */
    FileChannel channelOnPool() throws IOException {
        FileChannel ch = channel;
        if (ch != null) {
            return ch;
        }
        FileChannel opened = FileChannel.open(path, StandardOpenOption.READ);
        channelLock.lock();
        try {
            if (channel == null) {
                channel = opened;
                return opened;
            }
        } finally {
            channelLock.unlock();
        }
        closeQuietly(opened);
        return channel;
    }

    public Path path() {
        return path;
    }

    /**
     * Closes the file. From a sequential task the close runs on the blocking pool (or as an
     * io_uring operation), shielded (it completes even if the task is cancelled meanwhile):
     * closing a {@code FileChannel} waits for the pool threads still reading or writing it. From
     * a poll or outside a runtime it closes here, as it does once the runtime's pool has stopped.
     * Idempotent.
     */
    @Override
    public void close() throws IOException {
        FileChannel extra = handle instanceof PoolFile ? null : channel;
        try {
            handle.close();
        } finally {
            if (extra != null) {
                closeQuietly(extra);
            }
        }
    }

    static void closeQuietly(FileChannel ch) {
        PoolFile.closeQuietly(ch);
    }

    @Override
    public String toString() {
        return "AsyncFile[" + path + (handle instanceof PoolFile ? "" : ", " + handle) + "]";
    }
}

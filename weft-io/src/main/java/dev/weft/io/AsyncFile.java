package dev.weft.io;

import dev.weft.CancelledException;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;

/**
 * A file with positional reads and writes, run on the current runtime's blocking pool
 * ({@link Runtime#spawnBlocking}): file systems offer no readiness, so a worker never blocks on
 * disk. In a sequential task the calls read like {@link FileChannel}'s.
 *
 * {@snippet class="dev.weft.io.snippets.NetSnippets" region="file"}
 *
 * <p><b>Cancellation.</b> The pool thread writes into (or reads from) the caller's buffer, so a
 * cancelled call waits, shielded, for that thread to finish with the buffer before it throws
 * {@link CancelledException}: the buffer is never touched after the call returns or throws. The
 * bytes such a cancelled read took are in the buffer (its position is advanced). The pool thread
 * is never interrupted, because an interrupt closes a {@link FileChannel}.
 *
 * <p>Any number of tasks may read and write at different positions at once.
 */
public final class AsyncFile implements AutoCloseable {
    private final FileChannel channel;
    private final Path path;

    private AsyncFile(FileChannel channel, Path path) {
        this.channel = channel;
        this.path = path;
    }

    /** Opens {@code path} (default: for reading) on the blocking pool. */
    public static AsyncFile open(Path path, OpenOption... options) throws IOException {
        OpenOption[] opts = options.length == 0 ? new OpenOption[] {StandardOpenOption.READ} : options;
        return new AsyncFile(blocking(() -> FileChannel.open(path, opts)), path);
    }

    /** Reads into {@code dst} at file offset {@code position}: the count read, or -1 at end of file. */
    public int readAt(IoBuf dst, long position) throws IOException {
        ByteBuffer bb = dst.asByteBuffer();
        int n = blocking(() -> channel.read(bb, position));
        if (n > 0) {
            dst.advance(n);
        }
        return n;
    }

    /** Writes {@code src}'s remaining bytes at file offset {@code position}, all of them; returns the count. */
    public int writeAllAt(IoBuf src, long position) throws IOException {
        ByteBuffer bb = src.asByteBuffer();
        int n = blocking(() -> {
            int total = 0;
            while (bb.hasRemaining()) {
                total += channel.write(bb, position + total);
            }
            return total;
        });
        src.advance(n);
        return n;
    }

    /** The file's size in bytes. */
    public long size() throws IOException {
        return channel.size();
    }

    /** Forces written data (and metadata if {@code metaData}) to the device. */
    public void sync(boolean metaData) throws IOException {
        blocking(() -> {
            channel.force(metaData);
            return null;
        });
    }

    /** The file, for {@code FileChannel.transferTo} between a file and a socket. */
    FileChannel channel() {
        return channel;
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "AsyncFile[" + path + "]";
    }

    /** Runs {@code call} on the blocking pool; a cancelled caller waits (shielded) for it to finish first. */
    private static <T> T blocking(Callable<T> call) throws IOException {
        Task<T> op = Runtime.current().spawnBlocking(call);
        try {
            return Weft.await(op);
        } catch (CancelledException cancelled) {
            Weft.shielded(() -> {
                try {
                    Weft.await(op);
                } catch (RuntimeException ignored) {
                    // the caller is cancelled: the outcome no longer matters, only that the buffer is free
                }
            });
            throw cancelled;
        } catch (dev.weft.TaskFailedException failed) {
            if (failed.getCause() instanceof IOException io) {
                throw io;
            }
            if (failed.getCause() instanceof UncheckedIOException uio) {
                throw uio.getCause();
            }
            throw failed;
        }
    }
}

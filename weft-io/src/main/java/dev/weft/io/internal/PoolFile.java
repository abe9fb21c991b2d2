package dev.weft.io.internal;

import dev.weft.CancelledException;
import dev.weft.io.IoBuf;
import dev.weft.io.spi.FileHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The NIO driver's files: a {@link FileChannel} whose every call runs on the runtime's blocking
 * pool, never interrupted ({@link PoolCalls}); a cancelled caller waits, shielded, for the pool
 * thread to be done with its buffer, and keeps the bytes it moved.
 */
public final class PoolFile implements FileHandle {
    private final FileChannel channel;

    private PoolFile(FileChannel channel) {
        this.channel = channel;
    }

    /** Opens on the blocking pool; a caller cancelled while the pool opens the file closes what was opened. */
    public static PoolFile open(Path path, Set<? extends OpenOption> options) throws IOException {
        return new PoolFile(PoolCalls.call(() -> FileChannel.open(path, options), PoolFile::closeQuietly));
    }

    /** The channel, for {@code transferTo} on a pool thread. */
    public FileChannel channel() {
        return channel;
    }

    @Override
    public int readAt(IoBuf dst, long position) throws IOException {
        ByteBuffer bb = dst.asByteBuffer();
        int start = bb.position();
        int n;
        try {
            n = blocking(() -> channel.read(bb, position));
        } catch (CancelledException cancelled) {
            // The pool thread has let go of the buffer (blocking waited for it): keep what it read.
            dst.advance(bb.position() - start);
            throw cancelled;
        }
        if (n > 0) {
            dst.advance(n);
        }
        return n;
    }

    /** On the blocking pool, into a heap buffer of the call's own; copied into {@code dst} when polled done. */
    @Override
    public dev.weft.Future<Integer> readAtFuture(IoBuf dst, long position) {
        return new dev.weft.Future<>() {
            private dev.weft.Task<ByteBuffer> call;

            @Override
            public dev.weft.Poll<Integer> poll(dev.weft.Context cx) {
                if (call == null) {
                    int want = dst.remaining();
                    call = dev.weft.Runtime.current().spawnBlocking(() -> {
                        ByteBuffer mine = ByteBuffer.allocate(want);
                        int n = want == 0 ? 0 : channel.read(mine, position);
                        return n < 0 ? null : mine.flip();
                    });
                }
                dev.weft.Poll<ByteBuffer> p = call.poll(cx);
                if (p.isPending()) {
                    return dev.weft.Poll.pending();
                }
                ByteBuffer got = p.value();
                call = null;
                if (got == null) {
                    return dev.weft.Poll.ready(-1);
                }
                int n = got.remaining();
                dst.put(got.array(), 0, n);
                return dev.weft.Poll.ready(n);
            }

            @Override
            public void drop() {
                if (call != null) {
                    call.cancel();      // never interrupted (the channel stays open); it reads into its own buffer
                    call = null;
                }
            }
        };
    }

    @Override
    public int writeAllAt(IoBuf src, long position) throws IOException {
        ByteBuffer bb = src.asByteBuffer();
        int start = bb.position();
        int n;
        try {
            n = blocking(() -> {
                int total = 0;
                while (bb.hasRemaining()) {
                    total += channel.write(bb, position + total);
                }
                return total;
            });
        } catch (CancelledException cancelled) {
            src.advance(bb.position() - start);     // the bytes a cancelled call did write are consumed
            throw cancelled;
        }
        src.advance(n);
        return n;
    }

    @Override
    public long size() throws IOException {
        return blocking(channel::size);
    }

    @Override
    public void sync(boolean metaData) throws IOException {
        blocking(() -> {
            channel.force(metaData);
            return null;
        });
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * From a sequential task the close runs on the blocking pool, shielded: closing a
     * {@code FileChannel} waits for the pool threads still reading or writing it. From a poll or
     * outside a runtime it closes here, as it does once the runtime's pool has stopped.
     */
    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        if (PoolCalls.canPark()) {
            try {
                PoolCalls.callShielded(() -> {
                    channel.close();
                    return null;
                });
                return;
            } catch (java.util.concurrent.RejectedExecutionException poolStopped) {
                // the runtime's pool has stopped (it closed): close here
            }
        }
        channel.close();
    }

    public static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nobody holds this channel: nothing more to do
        }
    }

    private static <T> T blocking(Callable<T> call) throws IOException {
        return PoolCalls.call(call);
    }
}

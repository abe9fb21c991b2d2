package dev.weft.bench.chaos;

import dev.weft.io.AsyncFile;
import dev.weft.io.BufPool;
import dev.weft.io.IoBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * The I/O fixtures of a chaos run: one {@link BufPool} (direct, with leak detection, reports
 * counted here instead of logged) that every I/O operation takes its buffers from, a file of
 * known bytes for {@link AsyncFile} reads, and the loopback echo server ({@link EchoPeer}).
 *
 * <p>{@code buffers-returned}: once the I/O work has stopped, the pool has no buffer out, and
 * closing it (then a garbage collection) reports no leak, neither outstanding nor unreachable.
 */
final class IoFixtures implements AutoCloseable {
    static final int BUFFER = 8 * 1024;
    static final int FILE_SIZE = 1 << 20;
    static final long FILE_SALT = 0x5EED_F11EL;

    final BufPool pool;
    final LongAdder leaks = new LongAdder();
    final LongAdder taken = new LongAdder();
    final ConcurrentLinkedQueue<String> leakReports = new ConcurrentLinkedQueue<>();
    final Path path;
    volatile AsyncFile file;        // opened on the main runtime (it needs its blocking pool)
    volatile EchoPeer echo;

    IoFixtures() throws IOException {
        pool = BufPool.builder(BUFFER, 128).direct().name("chaos").leakDetection(true).leakListener(leak -> {
            leaks.increment();
            if (leakReports.size() < 5) {
                StringBuilder s = new StringBuilder(leak.kind() + ": " + leak.message());
                if (leak.takenAt() != null) {
                    StackTraceElement[] st = leak.takenAt().getStackTrace();
                    for (int i = 0; i < Math.min(8, st.length); i++) {
                        s.append("\n        at ").append(st[i]);
                    }
                }
                leakReports.add(s.toString());
            }
        }).build();
        path = Files.createTempFile("weft-chaos-", ".bin");
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(path)) {
            for (int off = 0; off < FILE_SIZE; off += chunk.length) {
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = pattern(FILE_SALT, off + i);
                }
                out.write(chunk);
            }
        }
    }

    /** A buffer from the pool, counted (the count of {@code buffers-returned}). */
    IoBuf take() {
        taken.increment();
        return pool.take();
    }

    /** The byte at {@code pos} of a stream or file salted with {@code salt}: a different sequence for each salt. */
    static byte pattern(long salt, long pos) {
        long x = (pos + salt * 0x632B_E59B_D9B4_E019L) * 0x9E37_79B9_7F4A_7C15L;
        return (byte) (x >>> 56);
    }

    @Override
    public void close() throws IOException {
        try {
            AsyncFile f = file;
            if (f != null) {
                f.close();
            }
        } finally {
            Files.deleteIfExists(path);
        }
    }
}

package dev.weft.examples;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.TaskFailedException;
import dev.weft.TimedOutException;
import dev.weft.Weft;
import dev.weft.io.AsyncFile;
import dev.weft.io.BufIOException;
import dev.weft.io.BufPool;
import dev.weft.io.IoBuf;
import dev.weft.io.ReadResult;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import dev.weft.runtime.Runtimes;
import dev.weft.uring.Uring;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * Seed 002, Grace's zero-copy file server: every byte goes from the file to the socket through
 * one pooled buffer that the kernel reads into and sends from, on io_uring, with no copy in Java.
 * The pool is registered with the ring, so the file reads are {@code READ_FIXED}. One client hangs
 * up mid-download and one stops reading: the server's per-connection time limit cancels that
 * connection's send in flight, and the buffer the kernel still held comes back to the pool only
 * when the kernel let go of it. The other clients get the whole file, checked by CRC.
 *
 * <p>{@code ./weft demo zerocopy [MiB] [clients]} (default 64 MiB, 4 clients). Without io_uring
 * it runs on NIO and says so (the copies are then the JDK's).
 */
public final class ZeroCopyFileServer {
    /** One chunk: a pooled buffer's size. */
    static final int CHUNK = 64 * 1024;

    private ZeroCopyFileServer() { }

    /** What a run did. */
    public record Result(String driver, long fileBytes, List<Long> downloaded, boolean checksumsMatch, int served,
                         int cutShort, long copiedBytes, long inPlaceBytes, long fixedBufferOps, int buffersOutstanding,
                         List<BufPool.Leak> leaks) {
        @Override
        public String toString() {
            return String.format("driver %s: %d clients got the whole %d MiB file%s; %d connections ended early (one hung "
                            + "up, one stopped reading and was cancelled); bytes copied in Java %d, moved in place %d, "
                            + "registered-buffer operations %d; pool buffers still out: %d; leaks reported: %d",
                    driver, downloaded.stream().filter(d -> d == fileBytes).count(), fileBytes >> 20,
                    checksumsMatch ? " (CRC checked)" : " (CRC MISMATCH)", cutShort, copiedBytes, inPlaceBytes,
                    fixedBufferOps, buffersOutstanding, leaks.size());
        }
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        System.out.println(run(mib, clients, Duration.ofSeconds(1)));
    }

    /**
     * Serves a file of {@code mib} MiB to {@code clients} good clients, one that hangs up and one
     * that stops reading (cut off after {@code limit}); returns what happened.
     */
    public static Result run(int mib, int clients, Duration limit) throws Exception {
        Path dir = Files.createTempDirectory("weft-zerocopy");
        Path file = dir.resolve("served.bin");
        long crc = writeFile(file, (long) mib << 20);
        List<BufPool.Leak> leaks = new java.util.concurrent.CopyOnWriteArrayList<>();
        BufPool pool = BufPool.builder(CHUNK, 32).direct().name("zerocopy").leakDetection(true)
                .leakListener(leaks::add).build();
        try (Runtime rt = Runtimes.multiThreadBuilder().name("zerocopy").workers(2).ioDriver("io_uring").build()) {
            Uring uring = rt.extension(Uring.class).orElse(null);     // absent on NIO: the demo still runs
            if (uring != null) {
                uring.registerBuffers(pool);
            }
            long[] before = counters(uring);
            AtomicInteger served = new AtomicInteger();
            AtomicInteger cutShort = new AtomicInteger();
            List<Long> downloaded = new ArrayList<>();
            boolean[] crcOk = {true};
            rt.run(() -> {
                try (AsyncFile source = AsyncFile.open(file);
                     TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    int connections = clients + 2;
                    Task<Void> server = Weft.spawn(() -> {
                        List<Task<Void>> handlers = new ArrayList<>();
                        for (int i = 0; i < connections; i++) {
                            TcpStream conn = listener.accept();
                            handlers.add(Weft.spawn(() -> {
                                try (conn) {
                                    Weft.timeout(limit, () -> serve(source, conn, pool));
                                    served.incrementAndGet();
                                } catch (TimedOutException | TaskFailedException e) {
                                    cutShort.incrementAndGet();     // a client that stopped reading, or hung up
                                }
                            }));
                        }
                        handlers.forEach(Task::join);
                    });
                    InetSocketAddress at = listener.localAddress();
                    List<Task<long[]>> good = new ArrayList<>();
                    for (int i = 0; i < clients; i++) {
                        good.add(Weft.spawn(() -> download(at, pool, Long.MAX_VALUE)));
                    }
                    Task<long[]> hangsUp = Weft.spawn(() -> download(at, pool, 1 << 20));
                    Task<Void> stopsReading = Weft.spawn(() -> {
                        try (TcpStream c = TcpStream.connect(at)) {
                            Weft.sleep(limit.multipliedBy(3));                // reads nothing: the server's sends stall
                        }
                    });
                    for (Task<long[]> t : good) {
                        long[] got = t.join();
                        downloaded.add(got[0]);
                        crcOk[0] &= got[1] == crc;
                    }
                    hangsUp.join();
                    stopsReading.join();
                    server.join();
                }
            });
            long[] after = counters(uring);
            if (uring != null) {
                uring.unregisterBuffers();
            }
            return new Result(uring != null ? "io_uring" : "nio", (long) mib << 20, downloaded, crcOk[0], served.get(),
                    cutShort.get(), after[0] - before[0], after[1] - before[1], after[2] - before[2], pool.outstanding(),
                    leaks);
        } finally {
            pool.close();
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * The server's loop: read a chunk of the file into a pooled buffer, send that same buffer.
     * The buffer is lent to each operation and handed back by its result; if this task is
     * cancelled while a send is in flight, the buffer goes back to the pool once the kernel let
     * go of it, and this method never sees it again.
     */
    static Void serve(AsyncFile source, TcpStream conn, BufPool pool) throws IOException {
        long size = source.size();
        IoBuf buf = pool.take();
        try {
            for (long pos = 0; pos < size; ) {
                int n = source.readAt(buf.clear(), pos);            // READ_FIXED into the registered buffer
                if (n <= 0) {
                    break;
                }
                pos += n;
                buf = conn.writeAll(buf.flip()).buf();             // SEND from the same memory, lent and handed back
            }
            conn.flush();
        } catch (BufIOException e) {
            buf = e.buf();                                          // the failed send hands the buffer back
            throw e;
        } finally {
            pool.give(buf);                                         // a no-op if a cancel forfeited it to the pool
        }
        return null;
    }

    /** A client: receives into pooled buffers (no copy on io_uring) until the end or {@code stopAfter} bytes; {count, crc}. */
    static long[] download(InetSocketAddress at, BufPool pool, long stopAfter) throws IOException {
        CRC32 crc = new CRC32();
        long total = 0;
        try (TcpStream c = TcpStream.connect(at)) {
            while (total < stopAfter) {
                IoBuf buf = pool.take();
                try {
                    ReadResult r = c.read(buf);
                    buf = r.buf();
                    if (r.eof()) {
                        break;
                    }
                    crc.update(buf.flip().asByteBuffer());
                    total += r.count();
                } finally {
                    pool.give(buf);
                }
            }
            if (total >= stopAfter) {
                c.abort();                                          // hangs up mid-download, with a reset
            }
        }
        return new long[] {total, crc.getValue()};
    }

    private static long writeFile(Path file, long size) throws IOException {
        CRC32 crc = new CRC32();
        byte[] block = new byte[1 << 20];
        Random rnd = new Random(2);
        try (var out = Files.newOutputStream(file)) {
            for (long done = 0; done < size; done += block.length) {
                rnd.nextBytes(block);
                int n = (int) Math.min(block.length, size - done);
                out.write(block, 0, n);
                crc.update(block, 0, n);
            }
        }
        return crc.getValue();
    }

    private static long[] counters(Uring uring) {
        if (uring == null) {
            return new long[3];
        }
        Uring.Stats s = uring.stats();
        return new long[] {s.copiedBytes(), s.inPlaceBytes(), s.fixedBufferOps()};
    }
}

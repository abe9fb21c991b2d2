package dev.weft.uring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.io.BufPool;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.ReadResult;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import dev.weft.runtime.Runtimes;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Owned reads and writes on io_uring: a native buffer is where the kernel receives and what it
 * sends from (no copy in Java, counted by the ring), and the kernel's hold on it outlives even a
 * close of its pool.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UringOwnedIoTest {
    @BeforeAll
    static void needsIoUring() {
        Assumptions.assumeTrue(Uring.isAvailable(), "io_uring is unavailable here: " + Uring.unavailabilityCause());
    }

    private static Runtime runtime(String name) {
        return Runtimes.multiThreadBuilder().name(name).workers(2).ioDriver("io_uring").build();
    }

    @Test
    void pooledBuffersAreReceivedIntoAndSentFromWithNoCopyButHeapBuffersAreCopied() {
        try (Runtime rt = runtime("owned"); BufPool pool = BufPool.direct(64 * 1024, 4)) {
            Uring uring = rt.extension(Uring.class).orElseThrow();
            rt.run(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    Task<TcpStream> accepted = Weft.spawn(listener::accept);
                    try (TcpStream a = TcpStream.connect(listener.localAddress()); TcpStream b = accepted.join()) {
                        Uring.Stats before = uring.stats();
                        IoBuf out = pool.take();
                        out.put("zero copy, both ways".getBytes()).flip();
                        out = a.writeAll(out).buf();
                        IoBuf in = pool.take();
                        ReadResult r = b.read(in);
                        assertThat(new String(r.buf().flip().toByteArray())).isEqualTo("zero copy, both ways");
                        Uring.Stats after = uring.stats();
                        assertThat(after.copiedBytes() - before.copiedBytes()).isZero();
                        assertThat(after.inPlaceBytes() - before.inPlaceBytes()).isEqualTo(2L * r.count());
                        pool.give(out);
                        pool.give(r.buf());

                        a.writeAll(IoBuf.wrap("heap".getBytes()));     // a heap array may move: copied
                        IoBuf heap = IoBuf.allocate(16);
                        assertThat(b.read(heap).count()).isEqualTo(4);
                        assertThat(uring.stats().copiedBytes() - after.copiedBytes()).isEqualTo(8);
                    }
                }
            });
        }
    }

    /**
     * Closing a pool while the kernel holds one of its buffers must not free the memory under it.
     * The pool's 256 KiB come from mmap (beyond malloc's threshold), so a premature free would make
     * the kernel's write fail with EFAULT, or worse.
     */
    @Test
    void aPoolClosedUnderAnOwnedReadFreesItsMemoryOnlyAfterTheKernelLetGo() {
        List<BufPool.Leak> leaks = new CopyOnWriteArrayList<>();
        BufPool pool = BufPool.builder(64 * 1024, 4).direct().name("closed-under-read").leakListener(leaks::add).build();
        try (Runtime rt = runtime("owned-close")) {
            rt.run(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    Task<TcpStream> accepted = Weft.spawn(listener::accept);
                    try (TcpStream a = TcpStream.connect(listener.localAddress()); TcpStream b = accepted.join()) {
                        IoBuf buf = pool.take();
                        Task<Integer> reading = Weft.spawn(() -> b.read(buf).count());
                        Weft.sleep(java.time.Duration.ofMillis(50));        // the receive is in the kernel
                        pool.close();                                       // reports the buffer as outstanding
                        Io.writeAll(a, IoBuf.wrap("still mapped".getBytes()));
                        assertThat(reading.join()).isEqualTo(12);
                        assertThatThrownBy(() -> buf.get(0)).as("freed once the read handed it back")
                                .isInstanceOf(IllegalStateException.class);
                    }
                }
            });
        }
        assertThat(leaks).extracting(BufPool.Leak::kind).containsExactly(BufPool.Leak.Kind.OUTSTANDING_AT_CLOSE);
    }

    @Test
    void largeOwnedSendsAreZeroCopyAboveTheThresholdFromTheRegisteredBufferAndArriveWhole() {
        Assumptions.assumeTrue(Uring.supportedOperations().contains("SEND_ZC"), "this kernel has no SEND_ZC (Linux 6.0)");
        try (Runtime rt = runtime("send-zc"); BufPool pool = BufPool.direct(256 * 1024, 4)) {
            Uring uring = rt.extension(Uring.class).orElseThrow();
            uring.registerBuffers(pool);
            uring.zeroCopySendsAbove(16 * 1024);
            rt.run(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    Task<TcpStream> accepted = Weft.spawn(listener::accept);
                    try (TcpStream a = TcpStream.connect(listener.localAddress()); TcpStream b = accepted.join()) {
                        byte[] data = new byte[256 * 1024];
                        new java.util.Random(9).nextBytes(data);
                        Task<IoBuf> reader = Weft.spawn(() -> {
                            IoBuf all = IoBuf.allocate(2 * data.length + 100);
                            Io.readExact(b, all, 2 * data.length + 100);
                            return all.flip();
                        });
                        Uring.Stats s0 = uring.stats();
                        IoBuf big = pool.take();
                        big.put(data).flip();
                        big = a.writeAll(big).buf();                   // 256 KiB: SEND_ZC, from the registered buffer
                        big.put(data).flip();
                        big = a.writeAll(big).buf();
                        IoBuf small = pool.take();
                        small.put(new byte[100]).flip();
                        small = a.writeAll(small).buf();               // 100 bytes: below the threshold, SEND
                        Uring.Stats s1 = uring.stats();
                        assertThat(s1.zeroCopySends() - s0.zeroCopySends()).as("the large sends only").isBetween(2L, 40L);
                        assertThat(s1.fixedBufferOps() - s0.fixedBufferOps()).isEqualTo(s1.zeroCopySends() - s0.zeroCopySends());
                        byte[] got = reader.join().toByteArray();
                        assertThat(java.util.Arrays.copyOfRange(got, 0, data.length)).isEqualTo(data);
                        assertThat(java.util.Arrays.copyOfRange(got, data.length, 2 * data.length)).isEqualTo(data);
                        pool.give(big);
                        pool.give(small);
                    }
                }
            });
            assertThat(pool.outstanding()).isZero();
            uring.unregisterBuffers();
        }
    }

    @Test
    void zeroCopySendsAreOffByDefaultAndTheThresholdIsChecked() {
        try (Runtime rt = runtime("send-zc-off")) {
            Uring uring = rt.extension(Uring.class).orElseThrow();
            assertThat(uring.stats().zeroCopySends()).isZero();
            assertThatThrownBy(() -> uring.zeroCopySendsAbove(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * Cancelled zero-copy sends: a buffer comes back to its pool only once the kernel's
     * notification says it let go, and every one does come back.
     */
    @Test
    void cancelledZeroCopySendsGiveEveryBufferBackOnlyAfterTheKernelLetGo() {
        Assumptions.assumeTrue(Uring.supportedOperations().contains("SEND_ZC"), "this kernel has no SEND_ZC (Linux 6.0)");
        List<BufPool.Leak> leaks = new CopyOnWriteArrayList<>();
        BufPool pool = BufPool.builder(64 * 1024, 8).direct().name("zc-storm").leakDetection(true).leakListener(leaks::add).build();
        try (Runtime rt = runtime("send-zc-storm")) {
            Uring uring = rt.extension(Uring.class).orElseThrow();
            uring.zeroCopySendsAbove(1024);
            rt.run(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    Task<TcpStream> accepted = Weft.spawn(listener::accept);
                    try (TcpStream a = TcpStream.connect(listener.localAddress()); TcpStream b = accepted.join()) {
                        Task<Long> drain = Weft.spawn(() -> {          // a slow reader: sends often wait
                            IoBuf sink = IoBuf.allocate(8192);
                            long total = 0;
                            for (int n; (n = b.readInto(sink.clear())) > 0; ) {
                                total += n;
                                Weft.sleep(java.time.Duration.ofNanos(50_000));
                            }
                            return total;
                        });
                        java.util.Random rnd = new java.util.Random(4);
                        int cancelled = 0;
                        for (int i = 0; i < 300; i++) {
                            IoBuf buf = pool.take();
                            buf.put(new byte[buf.capacity()]).flip();
                            var r = Weft.select(a.writeAllOwned(buf), dev.weft.Future.sleep(
                                    java.time.Duration.ofNanos(rnd.nextInt(300_000))));
                            if (r instanceof dev.weft.Either.First<dev.weft.io.WriteResult, Void> done) {
                                pool.give(done.value().buf());
                            } else {
                                cancelled++;                            // the buffer returns at the notification
                            }
                        }
                        assertThat(cancelled).isPositive();
                        a.close();                                      // the reader sees the end once sends drained
                        assertThat(drain.join()).isPositive();
                    }
                }
            });
            assertThat(uring.stats().zeroCopySends()).isPositive();
        }
        // the runtime is closed: every operation ended, every notification came
        assertThat(pool.outstanding()).as("every buffer back, none while the kernel held it").isZero();
        pool.close();
        assertThat(leaks).isEmpty();
    }

    /**
     * An owned read that completed but was neither taken nor dropped still holds the stream's
     * reads back: a second reader waits, and when the first is dropped its bytes come first.
     * Before, the second reader started a receive of its own and the first read's bytes were
     * written over or came after the later ones.
     */
    @Test
    void aCompletedOwnedReadNotYetTakenKeepsItsBytesAheadOfALaterRead() {
        try (Runtime rt = runtime("unclaimed"); BufPool pool = BufPool.direct(4096, 2)) {
            rt.run(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    Task<TcpStream> accepted = Weft.spawn(listener::accept);
                    try (TcpStream a = TcpStream.connect(listener.localAddress()); TcpStream b = accepted.join()) {
                        dev.weft.Future<ReadResult> first = b.readOwned(pool.take());
                        Weft.await((dev.weft.Future<Void>) cx -> {        // poll it once: its receive is in the kernel
                            first.poll(cx);
                            return dev.weft.Poll.ready(null);
                        });
                        Io.writeAll(a, IoBuf.wrap("first".getBytes()));
                        Weft.sleep(java.time.Duration.ofMillis(50));          // it lands; nobody takes it
                        Io.writeAll(a, IoBuf.wrap("second".getBytes()));
                        Task<String> later = Weft.spawn(() -> {
                            IoBuf got = IoBuf.allocate(11);
                            Io.readExact(b, got, 11);
                            return new String(got.flip().toByteArray());
                        });
                        Weft.sleep(java.time.Duration.ofMillis(50));
                        assertThat(later.isDone()).as("the later read waits behind the unclaimed one").isFalse();
                        first.drop();                                           // abandoned: its bytes go to the stream
                        assertThat(later.join()).isEqualTo("firstsecond");
                    }
                }
            });
            assertThat(pool.outstanding()).as("the dropped read's buffer went back to the pool").isZero();
        }
    }

    /** A buffer that outlived its closed pool is refused by the kernel path, never written into freed memory. */
    @Test
    void aBufferOfAClosedPoolIsRefusedRatherThanGivenToTheKernel() {
        List<BufPool.Leak> leaks = new CopyOnWriteArrayList<>();
        BufPool pool = BufPool.builder(4096, 2).direct().name("closed-first").leakListener(leaks::add).build();
        IoBuf orphan = pool.take();
        pool.close();                                   // reports the buffer as outstanding, frees the memory
        try (Runtime rt = runtime("closed-pool")) {
            rt.run(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0))) {
                    Task<TcpStream> accepted = Weft.spawn(listener::accept);
                    try (TcpStream a = TcpStream.connect(listener.localAddress()); TcpStream b = accepted.join()) {
                        assertThatThrownBy(() -> b.read(orphan)).isInstanceOf(IllegalStateException.class)
                                .hasMessageContaining("closed-first");
                    }
                }
            });
        }
        assertThat(leaks).hasSize(1);
    }
}

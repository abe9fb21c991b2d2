package dev.weft.uring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.io.AsyncFile;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import dev.weft.runtime.Runtimes;
import dev.weft.spi.AbstractRuntime;
import dev.weft.uring.Uring;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A ring of 2 SQ entries (CQ of 4) under 48 echo connections and 8 file readers: the CQ overflows
 * over and over, and where requests reach the ring in batches (queued, then drained in a turn)
 * the SQ is full too (both paths counted); every byte still arrives once, in order; afterwards no
 * descriptor is left open. (On the multi-thread runtime every request is submitted as it is made,
 * one SQE per enter, so its SQ never fills.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TinyRingTest {
    /** {@code batches}: requests reach the ring in batches (queued, then drained in a turn), so the 2-entry SQ fills. */
    record Rt(String name, boolean batches, Supplier<Runtime> factory) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Rt> runtimes() {
        return Stream.of(
                new Rt("multi-thread", false, () -> Runtimes.multiThreadBuilder().name("tiny-multi").workers(2).ioDriver("io_uring").build()),
                new Rt("current-thread", true, () -> Runtimes.currentThread("tiny-current").ioDriver("io_uring")),
                new Rt("jdk", true, () -> Runtimes.jdkDefault("tiny-jdk").ioDriver("io_uring")));
    }

    @BeforeAll
    static void needsIoUring() {
        Assumptions.assumeTrue(Uring.isAvailable(), "io_uring is unavailable here: " + Uring.unavailabilityCause());
    }

    static long openFds() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void everyByteArrivesThroughAFullSqAndAnOverflowingCq(Rt kind, @TempDir Path dir) throws Exception {
        byte[] fileData = new byte[1 << 20];
        new Random(5).nextBytes(fileData);
        Path file = Files.write(dir.resolve("data.bin"), fileData);
        long fdsBefore = openFds();
        long[] counters;
        try (Runtime rt = kind.factory().get()) {
            UringDriver driver = ((AbstractRuntime) rt).driver(UringDriver.class, r -> new UringDriver(r, 2));
            rt.run(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 256)) {
                    int clients = 48;
                    Task<Void> server = Weft.spawn(() -> {
                        List<Task<Void>> conns = new ArrayList<>();
                        for (int i = 0; i < clients; i++) {
                            TcpStream c = listener.accept();
                            conns.add(Weft.spawn(() -> {
                                try (c) {
                                    Io.copy(c, c);
                                    c.flush();
                                }
                            }));
                        }
                        for (Task<Void> t : conns) {
                            t.join();
                        }
                    });
                    List<Task<Void>> work = new ArrayList<>();
                    for (int i = 0; i < clients; i++) {
                        int seed = i;
                        work.add(Weft.spawn(() -> {
                            Random rnd = new Random(seed);
                            try (TcpStream s = TcpStream.connect(listener.localAddress())) {
                                for (int m = 0; m < 40; m++) {
                                    byte[] msg = new byte[1 + rnd.nextInt(3000)];
                                    rnd.nextBytes(msg);
                                    Io.writeAll(s, IoBuf.wrap(msg));
                                    s.flush();
                                    IoBuf in = IoBuf.allocate(msg.length);
                                    Io.readExact(s, in, msg.length);
                                    byte[] back = in.flip().toByteArray();
                                    assertThat(Arrays.equals(back, msg)).as("client %d message %d", seed, m).isTrue();
                                }
                                s.shutdownOutput();
                            }
                        }));
                    }
                    for (int i = 0; i < 8; i++) {
                        int seed = 100 + i;
                        work.add(Weft.spawn(() -> {
                            Random rnd = new Random(seed);
                            try (AsyncFile f = AsyncFile.open(file)) {
                                for (int r = 0; r < 100; r++) {
                                    int at = rnd.nextInt(fileData.length - 4096);
                                    IoBuf buf = IoBuf.allocate(4096);
                                    while (buf.hasRemaining()) {
                                        assertThat(f.readAt(buf, at + buf.position())).isPositive();
                                    }
                                    assertThat(Arrays.equals(buf.flip().toByteArray(), Arrays.copyOfRange(fileData, at, at + 4096)))
                                            .as("file reader %d read %d", seed, r).isTrue();
                                }
                            }
                        }));
                    }
                    for (Task<Void> t : work) {
                        t.join();
                    }
                    server.join();
                }
            });
            long[] s = driver.snapshot();      // {sq, cq, in flight, SQ full, EBUSY, overflow, submitted, completed}
            counters = new long[] {s[3], s[4], s[5], s[2]};
            assertThat(counters[3]).as("operations in flight at the end").isZero();
        }
        System.out.printf("tiny ring (%s): SQ full %d times, EBUSY/EAGAIN %d, CQ overflow seen %d%n",
                kind, counters[0], counters[1], counters[2]);
        if (kind.batches()) {
            assertThat(counters[0]).as("times the 2-entry SQ was full").isPositive();
        }
        assertThat(counters[1] + counters[2]).as("times the 4-entry CQ overflowed (EBUSY or the overflow flag)").isPositive();
        assertThat(openFds()).as("descriptors open after the runtime closed (before: %d)", fdsBefore).isLessThanOrEqualTo(fdsBefore);
    }
}

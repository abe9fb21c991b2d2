package dev.weft.uring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.CancelledException;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.io.AsyncFile;
import dev.weft.io.IoBuf;
import dev.weft.spi.AbstractRuntime;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link AsyncFile} on the io_uring driver, on every runtime (the multi-thread and current-thread
 * runtimes drive the ring with their own threads; the JDK-default runtime gives it a thread of
 * its own, and its tasks' requests are queued to it): the same contract as on NIO, with no
 * blocking-pool thread, and cancellation that never lets the kernel write into a buffer after the
 * call returned.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UringFileTest {
    static Stream<UringRuntimes.Rt> runtimes() {
        return UringRuntimes.all("uring");
    }

    @BeforeAll
    static void needsIoUring() {
        Assumptions.assumeTrue(Uring.isAvailable(), "io_uring is unavailable here: " + Uring.unavailabilityCause());
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void writesAndReadsBackThroughTheRingWithoutThePool(UringRuntimes.Rt kind, @TempDir Path dir) throws Exception {
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        Path path = dir.resolve("f.bin");
        try (Runtime rt = kind.factory().get()) {
            byte[][] back = rt.run(() -> {
                try (AsyncFile f = AsyncFile.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        StandardOpenOption.READ)) {
                    assertThat(f.writeAllAt(IoBuf.wrap(data, 0, 100_000), 0)).isEqualTo(100_000);
                    IoBuf direct = IoBuf.allocateDirect(200_000);
                    direct.put(data, 100_000, 200_000).flip();
                    assertThat(f.writeAllAt(direct, 100_000)).isEqualTo(200_000);
                    assertThat(direct.hasRemaining()).isFalse();
                    f.sync(true);
                    assertThat(f.size()).isEqualTo(data.length);
                    IoBuf heap = IoBuf.allocate(data.length);
                    while (heap.hasRemaining()) {
                        assertThat(f.readAt(heap, heap.position())).isPositive();
                    }
                    IoBuf tail = IoBuf.allocateDirect(1000);
                    assertThat(f.readAt(tail, data.length - 10)).isEqualTo(10);
                    assertThat(f.readAt(IoBuf.allocate(10), data.length)).as("at the end").isEqualTo(-1);
                    return new byte[][] {heap.flip().toByteArray(), tail.flip().toByteArray()};
                }
            });
            assertThat(Arrays.equals(back[0], data)).as("the bytes read back").isTrue();
            assertThat(back[1]).isEqualTo(Arrays.copyOfRange(data, data.length - 10, data.length));
            assertThat(Files.readAllBytes(path)).isEqualTo(data);
            AbstractRuntime ar = (AbstractRuntime) rt;
            assertThat(ar.driverNames()).contains("UringDriver");
            assertThat(ar.blockingPoolIfStarted()).as("no blocking-pool thread was used").isNull();
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void errorsNameTheFileAndTheCause(UringRuntimes.Rt kind, @TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.txt");
        Path there = Files.writeString(dir.resolve("there.txt"), "x");
        try (Runtime rt = kind.factory().get()) {
            rt.run(() -> {
                assertThatThrownBy(() -> AsyncFile.open(missing)).isInstanceOf(NoSuchFileException.class)
                        .hasMessageContaining("missing.txt");
                assertThatThrownBy(() -> AsyncFile.open(there, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
                        .isInstanceOf(FileAlreadyExistsException.class);
                assertThatThrownBy(() -> AsyncFile.open(there, StandardOpenOption.DELETE_ON_CLOSE))
                        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("DELETE_ON_CLOSE");
                AsyncFile f = AsyncFile.open(there);
                f.close();
                f.close();      // idempotent
                assertThatThrownBy(() -> f.readAt(IoBuf.allocate(1), 0)).isInstanceOf(java.nio.channels.ClosedChannelException.class);
            });
        }
    }

    /**
     * A read waiting in the kernel (a FIFO nobody writes) is cancelled with its task: the task ends
     * at once, and the buffer is not written afterwards, when a writer finally comes.
     */
    @ParameterizedTest
    @MethodSource("runtimes")
    void aReadWaitingInTheKernelIsCancelledWithItsTask(UringRuntimes.Rt kind, @TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo failed");
        try (Runtime rt = kind.factory().get()) {
            IoBuf buf = IoBuf.allocate(64);
            rt.run(() -> {
                try (AsyncFile f = AsyncFile.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    Task<Integer> reader = Weft.spawn(() -> f.readAt(buf, 0));
                    Weft.sleep(Duration.ofMillis(50));
                    assertThat(reader.isDone()).as("the read waits for a writer").isFalse();
                    long t0 = System.nanoTime();
                    reader.cancel();
                    assertThat(catchThrowable(reader::join)).isInstanceOf(CancelledException.class);
                    assertThat(System.nanoTime() - t0).as("cancelled promptly").isLessThan(TimeUnit.SECONDS.toNanos(2));
                    assertThat(buf.position()).as("nothing landed").isZero();
                    // the file still works for others: write and read back through the FIFO
                    f.writeAllAt(IoBuf.wrap("ping".getBytes()), 0);
                    IoBuf in = IoBuf.allocate(16);
                    assertThat(f.readAt(in, 0)).isEqualTo(4);
                    assertThat(new String(in.flip().toByteArray())).isEqualTo("ping");
                }
            });
            assertThat(buf.position()).isZero();
            assertThat(buf.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0)).as("the cancelled read's buffer").isZero();
        }
    }

    /** Random cancels during big reads: the bytes before the position are the file's, the file stays usable. */
    @ParameterizedTest
    @MethodSource("runtimes")
    void cancelledReadsKeepWhatLandedAndLeaveTheFileUsable(UringRuntimes.Rt kind, @TempDir Path dir) throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(12).nextBytes(data);
        Path path = Files.write(dir.resolve("data.bin"), data);
        try (Runtime rt = kind.factory().get()) {
            rt.run(() -> {
                Random rnd = new Random(3);
                try (AsyncFile file = AsyncFile.open(path)) {
                    for (int round = 0; round < 40; round++) {
                        IoBuf buf = round % 2 == 0 ? IoBuf.allocate(1 << 20) : IoBuf.allocateDirect(1 << 20);
                        long at = rnd.nextInt(data.length - (1 << 20));
                        Task<Void> reader = Weft.spawn(() -> {
                            for (;;) {
                                buf.clear();
                                file.readAt(buf, at);
                            }
                        });
                        Weft.sleep(Duration.ofNanos(rnd.nextInt(2_000_000)));
                        reader.cancel();
                        assertThat(catchThrowable(reader::join)).isInstanceOf(CancelledException.class);
                        int pos = buf.position();
                        byte[] got = new byte[pos];
                        buf.flip().get(got);
                        assertThat(Arrays.equals(got, Arrays.copyOfRange(data, (int) at, (int) at + pos)))
                                .as("round %d: the %d bytes before the position are the file's", round, pos).isTrue();
                        IoBuf check = IoBuf.allocate(4096);
                        assertThat(file.readAt(check, 0)).isEqualTo(4096);
                        assertThat(check.flip().toByteArray()).isEqualTo(Arrays.copyOf(data, 4096));
                    }
                }
            });
        }
    }

    /** The poll form: a poll task reads the whole file; a read dropped before it completes leaves its buffer untouched. */
    @ParameterizedTest
    @MethodSource("runtimes")
    void pollTasksReadWithTheFutureFormAndADroppedReadTouchesNothing(UringRuntimes.Rt kind, @TempDir Path dir) throws Exception {
        byte[] data = new byte[200_000];
        new Random(3).nextBytes(data);
        Path path = Files.write(dir.resolve("poll.bin"), data);
        try (Runtime rt = kind.factory().get()) {
            AsyncFile file = rt.run(() -> AsyncFile.open(path));
            IoBuf all = IoBuf.allocate(data.length);
            Task<Integer> reader = rt.spawnFuture(new dev.weft.Future<Integer>() {
                private dev.weft.Future<Integer> current;

                @Override
                public dev.weft.Poll<Integer> poll(dev.weft.Context cx) {
                    for (;;) {
                        if (current == null) {
                            current = file.readAtFuture(all.limit(Math.min(all.capacity(), all.position() + 7_000)), all.position());
                        }
                        dev.weft.Poll<Integer> p = current.poll(cx);
                        if (p.isPending()) {
                            return dev.weft.Poll.pending();
                        }
                        current = null;
                        if (p.value() < 0 || all.position() == all.capacity()) {
                            return dev.weft.Poll.ready(all.position());
                        }
                    }
                }
            });
            assertThat(rt.run(reader::join)).isEqualTo(data.length);
            assertThat(all.flip().toByteArray()).isEqualTo(data);
            IoBuf untouched = IoBuf.allocate(64);
            file.readAtFuture(untouched, 0).drop();     // never polled: nothing started
            rt.run(file::close);
            // a read waiting in the kernel (a FIFO nobody writes yet) loses a select: dropped in flight
            Path fifo = dir.resolve("fifo");
            Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor() == 0, "mkfifo failed");
            AsyncFile pipe = rt.run(() -> AsyncFile.open(fifo, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE));
            Task<Object> raced = rt.spawnFuture(dev.weft.Future.select(pipe.readAtFuture(untouched, 0),
                    dev.weft.Future.sleep(Duration.ofMillis(30))).map(e -> (Object) e));
            assertThat(rt.run(raced::join)).isInstanceOf(dev.weft.Either.Second.class);
            String after = rt.run(() -> {
                pipe.writeAllAt(IoBuf.wrap("ping".getBytes()), 0);
                IoBuf in = IoBuf.allocate(16);
                pipe.readAt(in, 0);
                return new String(in.flip().toByteArray());
            });
            assertThat(after).as("the dropped read took nothing from the pipe").isEqualTo("ping");
            assertThat(untouched.position()).as("the read that lost the select advanced nothing").isZero();
            assertThat(untouched.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0)).isZero();
            rt.run(pipe::close);
        }
    }
}

package dev.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Context;
import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The owned-buffer contract: the buffer is lent and handed back on success and on error; a
 * cancelled operation returns it to its pool; bytes taken by a cancelled read are not lost.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OwnedIoTest {

    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    /** USAGE story 002, as written there, against a pipe end (owned reads complete like io_uring). */
    static void story002(OwnedIo conn, BufPool pool) throws IOException {
        IoBuf buf = pool.take();
        while (true) {
            ReadResult r = conn.read(buf);           // the buffer is lent and comes back
            buf = r.buf();
            if (r.eof()) {
                break;
            }
            buf = conn.writeAll(buf.flip()).buf();   // same buffer out again; no copy in Java
        }
        pool.give(buf);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void story002EchoesWithOneLentBufferOnEveryRuntime(Harness.Rt kind) {
        List<BufPool.Leak> leaks = new CopyOnWriteArrayList<>();
        try (Runtime rt = kind.open();
             BufPool pool = BufPool.builder(4096, 4).direct().leakListener(leaks::add).build()) {
            rt.run(() -> {
                Random rnd = new Random(3);
                for (int round = 0; round < 4; round++) {
                    IoPipe pipe = IoPipe.create(1 + rnd.nextInt(8192));
                    boolean overReadiness = (round & 1) == 1;
                    OwnedIo conn = overReadiness ? OwnedIo.over(pipe.right()) : pipe.right();
                    Task<Void> server = Weft.spawn(() -> {
                        story002(conn, pool);
                        pipe.right().shutdownOutput();
                    });
                    IoPipeTest.echoRoundTrip(pipe.left(), Harness.randomBytes(rnd, rnd.nextInt(300_000)), rnd);
                    server.join();
                }
                assertThat(pool.outstanding()).isZero();
            });
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void aLentBufferCannotBeTouchedUntilTheResultHandsItBack() throws Exception {
        try (BufPool pool = BufPool.heap(64, 1)) {
            IoPipe pipe = IoPipe.create(64);
            IoBuf buf = pool.take();
            IoBuf view = buf.slice(0, 8);
            Future<ReadResult> read = pipe.right().readOwned(buf);
            assertThatThrownBy(() -> buf.put((byte) 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("lent to an I/O operation in flight").hasMessageContaining("r.buf()");
            assertThatThrownBy(() -> view.get(0)).as("views too").isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> pool.give(buf)).isInstanceOf(IllegalStateException.class).hasMessageContaining("lent");
            assertThatThrownBy(() -> pipe.right().readOwned(buf)).as("cannot lend twice")
                    .isInstanceOf(IllegalStateException.class);
            pipe.left().writeFrom(IoBuf.wrap(new byte[] {4, 5, 6}));
            ReadResult r = Weft.await(read);
            assertThat(r.count()).isEqualTo(3);
            assertThat(r.buf()).isSameAs(buf);
            assertThat(buf.flip().toByteArray()).containsExactly(4, 5, 6);
            pool.give(r.buf());
        }
    }

    @Test
    void anErrorHandsTheBufferBackInTheException() throws Exception {
        try (BufPool pool = BufPool.heap(64, 2)) {
            IoPipe pipe = IoPipe.create(64);
            pipe.left().reset();
            IoBuf buf = pool.take();
            BufIOException e = org.junit.jupiter.api.Assertions.assertThrows(BufIOException.class, () -> pipe.right().read(buf));
            assertThat(e).hasMessageContaining("connection reset by peer");
            assertThat(e.buf()).isSameAs(buf);
            e.buf().put((byte) 1);                                      // usable again
            pool.give(e.buf());

            IoBuf out = pool.take().put(new byte[] {1, 2, 3}).flip();
            BufIOException w = org.junit.jupiter.api.Assertions.assertThrows(BufIOException.class,
                    () -> OwnedIo.over(pipe.right()).writeAll(out));
            assertThat(w.buf()).isSameAs(out);
            assertThat(w.buf().remaining()).as("nothing was written").isEqualTo(3);
            pool.give(w.buf());

            IoBuf third = pool.take();
            Future<ReadResult> failing = pipe.right().readOwned(third);
            UncheckedIOException u = org.junit.jupiter.api.Assertions.assertThrows(UncheckedIOException.class,
                    () -> failing.poll(Context.noop()));
            assertThat(u.getCause()).as("the future form: the cause carries the buffer").isInstanceOf(BufIOException.class);
            assertThat(((BufIOException) u.getCause()).buf()).isSameAs(third);
            pool.give(third);
            assertThat(pool.outstanding()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aReadThatLosesASelectReturnsItsBufferToThePool(Harness.Rt kind) {
        try (Runtime rt = kind.open(); BufPool pool = BufPool.direct(256, 2)) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create(64);
                for (OwnedIo conn : List.of((OwnedIo) pipe.right(), OwnedIo.over(pipe.right()))) {
                    IoBuf buf = pool.take();
                    Either<ReadResult, Void> r = Weft.select(conn.readOwned(buf), Weft.sleepFuture(Duration.ofMillis(5)));
                    assertThat(r).isInstanceOf(Either.Second.class);
                    assertThatThrownBy(buf::position).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("was cancelled");
                    assertThat(pool.outstanding()).as("the cancelled read gave it back").isZero();
                    pool.give(buf);                                        // harmless: a finally block stays right
                    Io.writeAll(pipe.left(), IoBuf.wrap(new byte[] {7}));
                    ReadResult next = conn.read(pool.take());
                    assertThat(next.count()).isEqualTo(1);
                    pool.give(next.buf());
                }
            });
        }
    }

    @Test
    void bytesThatFilledACancelledReadGoToTheReadAheadAndTheNextReadGetsThem() throws Exception {
        try (BufPool pool = BufPool.heap(16, 2)) {
            IoPipe pipe = IoPipe.create(64);
            IoBuf buf = pool.take();
            Harness.CountingWaker reader = new Harness.CountingWaker();
            Future<ReadResult> read = pipe.right().readOwned(buf);
            assertThat(read.poll(reader.cx).isPending()).isTrue();
            // The "kernel" completes the read into the lent buffer before the task polls again...
            pipe.left().writeFrom(IoBuf.wrap(new byte[] {1, 2, 3, 4, 5}));
            pipe.left().writeFrom(IoBuf.wrap(new byte[] {6, 7}));
            assertThat(reader.count()).isEqualTo(1);
            // ...and then the task is cancelled: the result is never seen.
            read.drop();
            assertThatThrownBy(buf::position).isInstanceOf(IllegalStateException.class);
            assertThat(pool.outstanding()).as("the buffer went back to its pool").isZero();
            assertThat(pipe.right().available()).as("its 5 bytes are in the read-ahead, before the other 2").isEqualTo(7);
            ReadResult next = pipe.right().read(pool.take());
            assertThat(next.buf().flip().toByteArray()).containsExactly(1, 2, 3, 4, 5, 6, 7);
            pool.give(next.buf());
        }
    }

    /**
     * Stress: a reader loops "select(owned read, short sleep)" while a writer sends numbered
     * bytes in bursts with pauses (some of 1–3 ms, so the sleep wins at times); every byte arrives once and in order, though many reads lost.
     */
    @ParameterizedTest
    @MethodSource("runtimes")
    void cancelledOwnedReadsNeverLoseNorDuplicateABytes(Harness.Rt kind) {
        int total = 200_000;
        try (Runtime rt = kind.open(); BufPool pool = BufPool.direct(512, 4)) {
            int[] timeouts = new int[1];
            rt.run(() -> {
                IoPipe pipe = IoPipe.create(1024);
                Task<Void> writer = Weft.spawn(() -> {
                    Random rnd = new Random(5);
                    int next = 0;
                    while (next < total) {
                        int n = Math.min(total - next, 1 + rnd.nextInt(700));
                        byte[] chunk = new byte[n];
                        for (int i = 0; i < n; i++) {
                            chunk[i] = (byte) (next + i);
                        }
                        Io.writeAll(pipe.left(), IoBuf.wrap(chunk));
                        next += n;
                        if (rnd.nextInt(8) == 0) {          // long enough, at times, for the reader's sleep to win
                            Weft.sleep(Duration.ofNanos(rnd.nextInt(3_000_000)));
                        }
                    }
                    pipe.left().shutdownOutput();
                });
                int expected = 0;
                IoBuf buf = pool.take();
                while (true) {
                    Either<ReadResult, Void> r = Weft.select(pipe.right().readOwned(buf), Harness.shortSleep(300));
                    if (r instanceof Either.First<ReadResult, Void>(ReadResult got)) {
                        buf = got.buf();
                        if (got.eof()) {
                            break;
                        }
                        buf.flip();
                        while (buf.hasRemaining()) {
                            assertThat(buf.get()).as("byte %d", expected).isEqualTo((byte) expected);
                            expected++;
                        }
                        buf.clear();
                    } else {
                        timeouts[0]++;
                        buf = pool.take();                 // the cancelled read returned the old one
                    }
                }
                pool.give(buf);
                writer.join();
                assertThat(expected).isEqualTo(total);
                assertThat(pool.outstanding()).isZero();
            });
            assertThat(timeouts[0]).as("some reads must have lost, or the test proves nothing").isPositive();
        }
    }

    @Test
    void ownedWritesHandTheBufferBackAdvancedOrCleared() throws Exception {
        IoPipe pipe = IoPipe.create(4);
        OwnedWrite out = pipe.left();
        IoBuf buf = IoBuf.wrap(new byte[] {1, 2, 3, 4, 5, 6});
        WriteResult some = out.write(buf);
        assertThat(some.count()).isEqualTo(4);
        assertThat(some.buf().position()).as("advanced by the count").isEqualTo(4);
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                Io.readExact(pipe.right(), IoBuf.allocate(8), 6);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        WriteResult rest = out.writeAll(some.buf());
        assertThat(rest.count()).isEqualTo(2);
        assertThat(rest.buf().position()).as("cleared: ready to be filled again").isZero();
        assertThat(rest.buf().limit()).isEqualTo(6);
        reader.join();
    }

    @Test
    void theDefaultWriteAllLoopsOverWriteOwned() throws Exception {
        IoPipe pipe = IoPipe.create(3);
        List<Integer> counts = new ArrayList<>();
        OwnedWrite oneAtATime = buf -> OwnedIo.writeVia(pipe.left(), buf).map(r -> {
            counts.add(r.count());
            return r;
        });
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                Io.readToEnd(pipe.right(), 100);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        WriteResult r = oneAtATime.writeAll(IoBuf.wrap(new byte[10]));
        pipe.left().close();
        reader.join();
        assertThat(r.count()).isEqualTo(10);
        assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
        assertThat(counts.size()).isGreaterThan(1);
        assertThat(r.buf().position()).isZero();
    }

    @Test
    void aCancelledSequentialReadReturnsTheBufferAndFinallyGiveStaysHarmless() throws Exception {
        try (Runtime rt = dev.weft.runtime.Runtimes.currentThread(); BufPool pool = BufPool.heap(32, 1)) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create(16);
                Task<Void> victim = Weft.spawn(() -> {
                    IoBuf buf = pool.take();
                    try {
                        pipe.right().read(buf);                     // parks: nothing will come
                    } finally {
                        pool.give(buf);                             // after cancellation: does nothing
                    }
                });
                Weft.sleep(Duration.ofMillis(10));
                victim.cancel();
                assertThatThrownBy(victim::join).isInstanceOf(dev.weft.CancelledException.class);
                assertThat(pool.outstanding()).isZero();
                assertThat(pool.available()).isEqualTo(1);
            });
        }
    }

    @Test
    void pollingAnOwnedReadByHandIsPendingThenReady() {
        IoPipe pipe = IoPipe.create(16);
        Future<ReadResult> read = OwnedIo.reader(pipe.right()).readOwned(IoBuf.allocate(4));
        assertThat(read.poll(Context.noop())).isSameAs(Poll.pending());
        pipe.left().pollWrite(Context.noop(), IoBuf.wrap(new byte[] {1}));
        assertThat(read.poll(Context.noop()).value().count()).isEqualTo(1);
    }
}

package dev.weft.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Either;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A readiness read that loses a select has taken nothing: the next read gets every byte. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadinessCancelTest {

    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aReadThatLosesToATimeoutLeavesTheBytesForTheNextRead(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create(64);
                IoBuf buf = IoBuf.allocate(16);
                Either<Integer, Void> first = Weft.select(pipe.right().readFuture(buf), Weft.sleepFuture(Duration.ofMillis(5)));
                assertThat(first).isInstanceOf(Either.Second.class);
                assertThat(buf.position()).as("the lost read took nothing").isZero();
                Io.writeAll(pipe.left(), IoBuf.wrap(new byte[] {1, 2, 3}));
                assertThat(pipe.right().readInto(buf)).isEqualTo(3);
                assertThat(buf.flip().toByteArray()).containsExactly(1, 2, 3);
            });
        }
    }

    /**
     * Stress through a BufReader (poll task and sequential alike run the same future): reads
     * against a short sleep while a writer sends numbered bytes with pauses (some of 1–3 ms).
     */
    @ParameterizedTest
    @MethodSource("runtimes")
    void manyLostReadsLoseNoByte(Harness.Rt kind) {
        int total = 150_000;
        try (Runtime rt = kind.open()) {
            int lost = rt.run(() -> {
                IoPipe pipe = IoPipe.create(777);
                Task<Void> writer = Weft.spawn(() -> {
                    Random rnd = new Random(19);
                    for (int next = 0; next < total; ) {
                        int n = Math.min(total - next, 1 + rnd.nextInt(500));
                        IoBuf chunk = IoBuf.allocate(n);
                        for (int i = 0; i < n; i++) {
                            chunk.put((byte) (next + i));
                        }
                        Io.writeAll(pipe.left(), chunk.flip());
                        next += n;
                        if (rnd.nextInt(8) == 0) {          // long enough, at times, for the reader's sleep to win
                            Weft.sleep(Duration.ofNanos(rnd.nextInt(3_000_000)));
                        }
                    }
                    pipe.left().shutdownOutput();
                });
                BufReader in = new BufReader(pipe.right(), 100);
                IoBuf buf = IoBuf.allocate(64);
                int expected = 0;
                int timeouts = 0;
                while (true) {
                    Either<Integer, Void> r = Weft.select(in.readFuture(buf.clear()), Harness.shortSleep(200));
                    if (r instanceof Either.First<Integer, Void>(Integer n)) {
                        if (n == AsyncRead.EOF) {
                            break;
                        }
                        buf.flip();
                        while (buf.hasRemaining()) {
                            assertThat(buf.get()).as("byte %d", expected).isEqualTo((byte) expected);
                            expected++;
                        }
                    } else {
                        timeouts++;
                    }
                }
                writer.join();
                assertThat(expected).isEqualTo(total);
                return timeouts;
            });
            assertThat(lost).as("some reads must have lost, or the test proves nothing").isPositive();
        }
    }
}

package dev.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** readExact, readToEnd, lines, writeAll and copy: what they return, their errors, and where bytes are if cancelled. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IoHelpersTest {

    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    /** Writes {@code data} from a plain thread in pieces of {@code piece} bytes, then half-closes. */
    static Thread feed(PipeEnd end, byte[] data, int piece) {
        return Thread.ofPlatform().start(() -> {
            try {
                for (int off = 0; off < data.length; off += piece) {
                    Io.writeAll(end, IoBuf.wrap(data, off, Math.min(piece, data.length - off)));
                    Thread.sleep(1);
                }
                end.shutdownOutput();
            } catch (IOException | InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void readExactWaitsForEveryByteAndNoMore() throws Exception {
        IoPipe pipe = IoPipe.create(64);
        byte[] data = "0123456789abcdef".getBytes();
        Thread t = feed(pipe.left(), data, 3);
        IoBuf buf = IoBuf.allocate(64);
        Io.readExact(pipe.right(), buf, 10);
        assertThat(buf.position()).isEqualTo(10);
        assertThat(new String(buf.flip().toByteArray())).isEqualTo("0123456789");
        assertThat(new String(Io.readToEnd(pipe.right(), 100).toByteArray())).as("the rest was not taken").isEqualTo("abcdef");
        t.join();
    }

    @Test
    void readExactSaysHowMuchCameBeforeTheEnd() throws Exception {
        IoPipe pipe = IoPipe.create(64);
        pipe.left().writeFrom(IoBuf.wrap(new byte[] {1, 2, 3}));
        pipe.left().shutdownOutput();
        IoBuf buf = IoBuf.allocate(16);
        assertThatThrownBy(() -> Io.readExact(pipe.right(), buf, 10)).isInstanceOf(EOFException.class)
                .hasMessage("the stream ended after 3 of the 10 bytes expected");
        assertThat(buf.position()).as("the bytes that came are in the buffer").isEqualTo(3);
        assertThatThrownBy(() -> Io.readExact(pipe.right(), buf, 20)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("room for 13");
    }

    @Test
    void readToEndCollectsEverythingWithinTheLimit() throws Exception {
        IoPipe pipe = IoPipe.create(1000);
        byte[] data = Harness.randomBytes(new Random(7), 50_000);
        Thread t = feed(pipe.left(), data, 7_000);
        IoBuf all = Io.readToEnd(pipe.right(), 50_000);
        assertThat(all.toByteArray()).isEqualTo(data);
        t.join();

        IoPipe small = IoPipe.create(100);
        small.left().writeFrom(IoBuf.wrap(new byte[11]));
        small.left().shutdownOutput();
        assertThatThrownBy(() -> Io.readToEnd(small.right(), 10)).isInstanceOf(IOException.class)
                .hasMessageContaining("more than 10 bytes");
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void linesFindsLineBreaksAcrossBufferBoundaries(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            List<String> lines = rt.run(() -> {
                IoPipe pipe = IoPipe.create(32);
                String text = "short\r\n" + "x".repeat(100) + "\n\nünïcödé\nlast without newline";
                Task<Void> writer = Weft.spawn(() -> {
                    Io.writeAll(pipe.left(), IoBuf.wrap(text.getBytes(StandardCharsets.UTF_8)));
                    pipe.left().shutdownOutput();
                });
                List<String> got = new ArrayList<>();
                for (String line : Weft.iterate(Io.lines(new BufReader(pipe.right(), 16), 200))) {
                    got.add(line);
                }
                writer.join();
                return got;
            });
            assertThat(lines).containsExactly("short", "x".repeat(100), "", "ünïcödé", "last without newline");
        }
    }

    @Test
    void aLineOverTheLimitEndsTheStreamWithAFrameException() throws Exception {
        IoPipe pipe = IoPipe.create(256);
        pipe.left().writeFrom(IoBuf.wrap(("ok\n" + "y".repeat(50) + "\n").getBytes()));
        var it = Weft.iterate(Io.lines(new BufReader(pipe.right(), 8), 20)).iterator();
        assertThat(it.next()).isEqualTo("ok");
        assertThatThrownBy(it::hasNext).isInstanceOf(UncheckedIOException.class)
                .cause().isInstanceOf(FrameException.class).hasMessageContaining("exceeds the limit of 20 bytes");
    }

    @Test
    void writeAllWritesEverythingAndCountsIt() throws Exception {
        IoPipe pipe = IoPipe.create(10);
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                assertThat(Io.readToEnd(pipe.right(), 1000).remaining()).isEqualTo(1000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        IoBuf src = IoBuf.allocate(1000);
        assertThat(Io.writeAll(pipe.left(), src)).isEqualTo(1000);
        assertThat(src.hasRemaining()).isFalse();
        pipe.left().shutdownOutput();
        reader.join();
    }

    @Test
    void aPendingWriteAllLeavesItsProgressInTheSourceBuffer() {
        IoPipe pipe = IoPipe.create(4);
        IoBuf src = IoBuf.wrap(new byte[] {1, 2, 3, 4, 5, 6});
        Future<Integer> write = Io.writeAllFuture(pipe.left(), src);
        assertThat(write.poll(Context.noop()).isPending()).isTrue();
        write.drop();
        assertThat(src.position()).as("4 bytes went out; the other 2 are still to send").isEqualTo(4);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void copyMovesEverythingAndFlushes(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                byte[] data = Harness.randomBytes(new Random(8), 100_000);
                IoPipe from = IoPipe.create(3000);
                IoPipe to = IoPipe.create(5000);
                Task<Void> writer = Weft.spawn(() -> {
                    Io.writeAll(from.left(), IoBuf.wrap(data));
                    from.left().shutdownOutput();
                });
                Task<IoBuf> reader = Weft.spawn(() -> Io.readToEnd(to.right(), 200_000));
                BufWriter out = new BufWriter(to.left(), 4096);
                long n = Io.copy(new BufReader(from.right()), out);     // straight from the reader's buffer
                assertThat(n).isEqualTo(data.length);
                assertThat(out.buffered()).as("copy flushed at the end").isZero();
                to.left().shutdownOutput();
                assertThat(reader.join().toByteArray()).isEqualTo(data);
                writer.join();

                IoPipe again = IoPipe.create(100);
                IoPipe sink = IoPipe.create(1000);
                again.left().writeFrom(IoBuf.wrap(new byte[] {1, 2, 3}));
                again.left().shutdownOutput();
                assertThat(Io.copy(again.right(), sink.left(), IoBuf.allocateDirect(2))).isEqualTo(3);
            });
        }
    }

    @Test
    void aCancelledCopyLeavesTheBytesInFlightInTheCallersBuffer() {
        IoPipe from = IoPipe.create(64);
        IoPipe to = IoPipe.create(4);                          // nobody reads it: fills at 4 bytes
        from.left().pollWrite(Context.noop(), IoBuf.wrap(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
        IoBuf buf = IoBuf.allocate(16);
        Future<Long> copy = Io.copyFuture(from.right(), to.left(), buf);
        assertThat(copy.poll(Context.noop()).isPending()).isTrue();
        copy.drop();
        assertThat(buf.toByteArray()).as("read from the source, not yet written").containsExactly(4, 5, 6, 7, 8, 9);
        assertThat(to.right().available()).isEqualTo(4);
    }
}

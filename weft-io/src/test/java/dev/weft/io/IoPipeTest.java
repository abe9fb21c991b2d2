package dev.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The in-memory pipe: echo of random sizes on every runtime, backpressure, half-close, close and reset. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IoPipeTest {

    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    /** A sequential echo server: read what comes, write it back, until the end; then half-close. */
    static void sequentialEcho(AsyncIo io) throws IOException {
        IoBuf buf = IoBuf.allocate(4096);
        while (io.readInto(buf.clear()) != AsyncRead.EOF) {
            Io.writeAll(io, buf.flip());
        }
        io.shutdownOutput();
    }

    /** A poll-task echo server: copy from the connection to itself through a buffered reader, then half-close. */
    static Future<Void> pollEcho(AsyncIo io) {
        Future<Long> copy = Io.copyFuture(new BufReader(io, 3000), io);
        return copy.then(n -> io.shutdownFuture());
    }

    /** Writes {@code data} in random pieces from one task while this one reads everything back; checks it. */
    static void echoRoundTrip(AsyncIo client, byte[] data, Random rnd) throws Exception {
        Task<Void> writer = Weft.spawn(() -> {
            int off = 0;
            while (off < data.length) {
                int n = Math.min(data.length - off, 1 + rnd.nextInt(20_000));
                Io.writeAll(client, IoBuf.wrap(data, off, n));
                off += n;
            }
            client.shutdownOutput();
        });
        IoBuf back = Io.readToEnd(client, data.length + 1);
        writer.join();
        assertThat(back.remaining()).isEqualTo(data.length);
        assertThat(back.toByteArray()).isEqualTo(data);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void echoesRandomSizesThroughASequentialServer(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                Random rnd = new Random(1);
                for (int round = 0; round < 5; round++) {
                    IoPipe pipe = IoPipe.create(1 + rnd.nextInt(10_000));
                    Task<Void> server = Weft.spawn(() -> sequentialEcho(pipe.right()));
                    echoRoundTrip(pipe.left(), Harness.randomBytes(rnd, rnd.nextInt(200_000)), rnd);
                    server.join();
                }
            });
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void echoesRandomSizesThroughAPollTaskServer(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                Random rnd = new Random(2);
                for (int round = 0; round < 5; round++) {
                    IoPipe pipe = IoPipe.create(1 + rnd.nextInt(10_000));
                    Task<Void> server = Weft.spawnFuture(pollEcho(pipe.right()));
                    echoRoundTrip(pipe.left(), Harness.randomBytes(rnd, rnd.nextInt(200_000)), rnd);
                    server.join();
                }
            });
        }
    }

    @Test
    void aFullPipeMakesTheWriterWaitAndAReadWakesIt() {
        IoPipe pipe = IoPipe.create(4);
        Harness.CountingWaker writer = new Harness.CountingWaker();
        IoBuf src = IoBuf.wrap(new byte[] {1, 2, 3, 4, 5, 6});
        assertThat(pipe.left().pollWrite(writer.cx, src)).isEqualTo(4);
        assertThat(pipe.left().pollWrite(writer.cx, src)).isEqualTo(AsyncRead.PENDING);
        assertThat(src.remaining()).as("a pending write takes nothing").isEqualTo(2);
        assertThat(writer.count()).isZero();
        IoBuf dst = IoBuf.allocate(3);
        assertThat(pipe.right().pollRead(Context.noop(), dst)).isEqualTo(3);
        assertThat(writer.count()).as("the read made room and woke the writer").isEqualTo(1);
        assertThat(pipe.left().pollWrite(writer.cx, src)).isEqualTo(2);
        assertThat(pipe.right().available()).isEqualTo(3);
    }

    @Test
    void anEmptyPipeMakesTheReaderWaitAndAWriteWakesIt() {
        IoPipe pipe = IoPipe.create(16);
        Harness.CountingWaker reader = new Harness.CountingWaker();
        IoBuf dst = IoBuf.allocate(8);
        assertThat(pipe.right().pollRead(reader.cx, dst)).isEqualTo(AsyncRead.PENDING);
        pipe.left().pollWrite(Context.noop(), IoBuf.wrap(new byte[] {9}));
        assertThat(reader.count()).isEqualTo(1);
        assertThat(pipe.right().pollRead(reader.cx, dst)).isEqualTo(1);
        assertThat(pipe.right().pollRead(reader.cx, IoBuf.allocate(0))).as("no room: 0").isZero();
    }

    /** Issue 12, fault 7: an owned read into a buffer with no room answers 0 at once, as pollRead does. */
    @Test
    void anOwnedReadIntoAFullBufferReturnsZeroAtOnce() {
        IoPipe pipe = IoPipe.create(16);
        Harness.CountingWaker reader = new Harness.CountingWaker();
        IoBuf full = IoBuf.allocate(8);
        full.position(8);
        Poll<ReadResult> p = pipe.right().readOwned(full).poll(reader.cx);
        assertThat(p.isReady()).as("no room: done at once, not waiting for the peer").isTrue();
        assertThat(p.value().count()).isZero();
        assertThat(p.value().buf()).isSameAs(full);
        assertThat(full.position()).as("the buffer is handed back, usable").isEqualTo(8);
    }

    /**
     * Issue 12, fault 7: a write with bytes to send never returns 0, even when the other end's
     * owned read has a full buffer (the write used to "complete" that read with 0 bytes).
     */
    @Test
    void aWriteWithBytesToSendNeverReturnsZero() {
        IoPipe pipe = IoPipe.create(16);
        Harness.CountingWaker reader = new Harness.CountingWaker();
        IoBuf full = IoBuf.allocate(8);
        full.position(8);
        Future<ReadResult> read = pipe.right().readOwned(full);
        read.poll(reader.cx);
        IoBuf src = IoBuf.wrap(new byte[] {1, 2, 3});
        assertThat(pipe.left().pollWrite(Context.noop(), src)).as("bytes written").isEqualTo(3);
        assertThat(pipe.right().available()).as("buffered for the next read").isEqualTo(3);
        IoBuf dst = IoBuf.allocate(8);
        assertThat(pipe.right().pollRead(Context.noop(), dst)).isEqualTo(3);
        assertThat(dst.flip().toByteArray()).containsExactly(1, 2, 3);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void halfCloseEndsOneDirectionAfterItsBytesAndTheOtherStillWorks(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create(64);
                PipeEnd client = pipe.left();
                PipeEnd server = pipe.right();
                Io.writeAll(client, IoBuf.wrap("request".getBytes()));
                client.shutdownOutput();
                assertThatThrownBy(() -> client.writeFrom(IoBuf.wrap(new byte[] {1})))
                        .isInstanceOf(IOException.class).hasMessageContaining("after shutdownOutput");
                IoBuf got = Io.readToEnd(server, 1024);
                assertThat(new String(got.toByteArray())).isEqualTo("request");
                assertThat(server.readInto(IoBuf.allocate(8))).as("the end stays the end").isEqualTo(AsyncRead.EOF);
                Io.writeAll(server, IoBuf.wrap("reply".getBytes()));
                server.shutdownOutput();
                assertThat(new String(Io.readToEnd(client, 1024).toByteArray())).isEqualTo("reply");
            });
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aResetPeerFailsAReadParkedMidMessage(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create(64);
                PipeEnd client = pipe.left();
                PipeEnd server = pipe.right();
                Task<Void> reader = Weft.spawn(() -> {
                    IoBuf buf = IoBuf.allocate(100);
                    Io.readExact(server, buf, 100);            // parks: only part of the message will come
                });
                Io.writeAll(client, IoBuf.wrap(new byte[40]));
                Weft.sleep(Duration.ofMillis(20));
                assertThat(reader.isDone()).isFalse();
                client.reset();
                assertThatThrownBy(reader::join).hasRootCauseInstanceOf(IOException.class)
                        .rootCause().hasMessageContaining("connection reset by peer");
                assertThatThrownBy(() -> server.writeFrom(IoBuf.wrap(new byte[1])))
                        .isInstanceOf(IOException.class).hasMessageContaining("connection reset by peer");
                assertThatThrownBy(() -> client.readInto(IoBuf.allocate(1)))
                        .isInstanceOf(IOException.class).hasMessageContaining("closed");
            });
        }
    }

    @Test
    void closingAnEndGivesThePeerTheEndAndBreaksItsWrites() throws Exception {
        IoPipe pipe = IoPipe.create(64);
        pipe.left().writeFrom(IoBuf.wrap(new byte[] {1, 2}));
        pipe.left().close();
        IoBuf buf = IoBuf.allocate(8);
        assertThat(pipe.right().readInto(buf)).as("bytes written before close still arrive").isEqualTo(2);
        assertThat(pipe.right().readInto(buf)).isEqualTo(AsyncRead.EOF);
        assertThatThrownBy(() -> pipe.right().writeFrom(IoBuf.wrap(new byte[] {3})))
                .isInstanceOf(IOException.class).hasMessageContaining("broken pipe");
        assertThatThrownBy(() -> pipe.left().pollRead(Context.noop(), buf))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("closed");
    }

    @Test
    void sequentialCallsWorkOnAPlainThreadOutsideAnyRuntime() throws Exception {
        IoPipe pipe = IoPipe.create(8);
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                Io.writeAll(pipe.left(), IoBuf.wrap(new byte[1000]));      // blocks on the full pipe
                pipe.left().shutdownOutput();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(Io.readToEnd(pipe.right(), 2000).remaining()).isEqualTo(1000);
        t.join();
    }

    @Test
    void pollingByHandNeverAllocatesAResultObject() {
        IoPipe pipe = IoPipe.create(8);
        Poll<Integer> p = pipe.right().readFuture(IoBuf.allocate(4)).poll(Context.noop());
        assertThat(p).isSameAs(Poll.pending());
    }
}

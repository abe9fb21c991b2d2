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
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Framing over the traits: echo on every runtime, clear errors for bad frames, isolation, cancel safety. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FramedTest {

    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    /** A poll-task server: answers every frame with {@code reply(frame)}; closes at the end. */
    static <T> Future<Void> pollServer(Framed<T> f, Function<T, T> reply) {
        return new Future<>() {
            private boolean flushing;

            @Override
            public Poll<Void> poll(Context cx) {
                for (;;) {
                    if (flushing) {
                        if (!f.pollFlush(cx)) {
                            return Poll.pending();
                        }
                        flushing = false;
                    }
                    Poll<T> p = f.pollNext(cx);
                    if (p.isPending()) {
                        return Poll.pending();
                    }
                    try {
                        if (p.isEnd()) {
                            f.close();
                            return Poll.ready(null);
                        }
                        f.feed(reply.apply(p.value()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    flushing = true;
                }
            }
        };
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void lengthDelimitedEchoOfRandomSizes(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                Random rnd = new Random(11);
                IoPipe pipe = IoPipe.create(1 + rnd.nextInt(20_000));
                Task<Void> server = Weft.spawnFuture(pollServer(Codecs.lengthDelimited(pipe.right(), 128 * 1024), b -> b));
                Framed<byte[]> client = Codecs.lengthDelimited(pipe.left(), 128 * 1024);
                List<byte[]> sent = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    sent.add(Harness.randomBytes(rnd, rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(100_000)));
                }
                Task<Void> sender = Weft.spawn(() -> {
                    for (byte[] m : sent) {
                        client.send(m);
                    }
                    pipe.left().shutdownOutput();
                });
                for (byte[] m : sent) {
                    assertThat(client.next()).isEqualTo(m);
                }
                assertThat(client.next()).as("a clean end").isNull();
                sender.join();
                server.join();
            });
        }
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void linesEchoWithBothLineBreaks(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create(64);
                Task<Void> server = Weft.spawnFuture(pollServer(Codecs.lines(pipe.right(), 1024), String::toUpperCase));
                Framed<String> client = Codecs.lines(pipe.left(), 1024);
                client.send("hello");
                assertThat(client.next()).isEqualTo("HELLO");
                Io.writeAll(pipe.left(), IoBuf.wrap("crlf\r\nünï\n".getBytes(StandardCharsets.UTF_8)));
                assertThat(client.next()).isEqualTo("CRLF");
                assertThat(client.next()).isEqualTo("ÜNÏ");
                Task<Void> batch = Weft.spawn(() -> {               // the replies are read meanwhile: the pipe holds 64 bytes
                    for (int i = 0; i < 500; i++) {
                        client.feed("line " + i);
                    }
                    client.flush();                                 // one write of all 500 queued lines
                });
                for (int i = 0; i < 500; i++) {
                    assertThat(client.next()).isEqualTo("LINE " + i);
                }
                batch.join();
                pipe.left().shutdownOutput();
                assertThat(client.next()).isNull();
                server.join();
            });
        }
    }

    @Test
    void anOversizedFrameIsAClearErrorThatStaysAndWritingStillWorks() throws Exception {
        IoPipe pipe = IoPipe.create(1024);
        Framed<byte[]> server = Codecs.lengthDelimited(pipe.right(), 1024);
        IoBuf evil = IoBuf.allocate(8).putInt(1_000_000).putInt(0).flip();
        pipe.left().writeFrom(evil);
        FrameException e = org.junit.jupiter.api.Assertions.assertThrows(FrameException.class, server::next);
        assertThat(e.kind()).isEqualTo(FrameException.Kind.OVERSIZED);
        assertThat(e.limit()).isEqualTo(1024);
        assertThat(e.size()).isEqualTo(1_000_000);
        assertThat(e).hasMessageContaining("frame of 1000000 bytes exceeds the limit of 1024 bytes")
                .hasMessageContaining("Raise maxFrameLength").hasMessageContaining("close this connection");
        assertThatThrownBy(server::next).as("the Framed is unusable for reading afterwards").isSameAs(e);
        server.send("ERR frame too large".getBytes());
        Framed<byte[]> client = Codecs.lengthDelimited(pipe.left(), 1024);
        assertThat(new String(client.next())).isEqualTo("ERR frame too large");
    }

    @Test
    void aNegativeLengthIsMalformed() throws Exception {
        IoPipe pipe = IoPipe.create(64);
        pipe.left().writeFrom(IoBuf.allocate(4).putInt(-5).flip());
        Framed<byte[]> server = Codecs.lengthDelimited(pipe.right(), 1024);
        assertThatThrownBy(server::next).isInstanceOf(FrameException.class)
                .hasMessageContaining("length prefix is negative (-5, bytes fffffffb)")
                .extracting(t -> ((FrameException) t).kind()).isEqualTo(FrameException.Kind.MALFORMED);
    }

    @Test
    void anEndInTheMiddleOfAFrameIsItsOwnError() throws Exception {
        IoPipe pipe = IoPipe.create(64);
        Framed<byte[]> client = Codecs.lengthDelimited(pipe.left(), 1024);
        client.send(new byte[] {1});
        pipe.left().writeFrom(IoBuf.allocate(7).putInt(10).put(new byte[] {1, 2, 3}).flip());
        pipe.left().shutdownOutput();
        Framed<byte[]> server = Codecs.lengthDelimited(pipe.right(), 1024);
        assertThat(server.next()).containsExactly(1);
        assertThatThrownBy(server::next).isInstanceOf(FrameException.class)
                .hasMessageContaining("the stream ended in the middle of a frame: 7 bytes received of 4 + 10")
                .extracting(t -> ((FrameException) t).kind()).isEqualTo(FrameException.Kind.TRUNCATED);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aLongLineIsRejectedBeforeItsLineBreakArrives(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create(1024);
                Io.writeAll(pipe.left(), IoBuf.wrap("x".repeat(18).getBytes()));   // no newline, connection stays open
                Framed<String> server = Codecs.lines(pipe.right(), 16);
                FrameException e = org.junit.jupiter.api.Assertions.assertThrows(FrameException.class, server::next);
                assertThat(e.kind()).isEqualTo(FrameException.Kind.OVERSIZED);
                assertThat(e).hasMessageContaining("exceeds the limit of 16 bytes").hasMessageContaining("Raise maxLineLength");
            });
        }
    }

    @Test
    void aLineAtTheLimitWithCrLfIsAccepted() throws Exception {
        IoPipe pipe = IoPipe.create(1024);
        pipe.left().writeFrom(IoBuf.wrap(("x".repeat(16) + "\r\n" + "y".repeat(17) + "\n").getBytes()));
        Framed<String> server = Codecs.lines(pipe.right(), 16);
        assertThat(server.next()).isEqualTo("x".repeat(16));
        assertThatThrownBy(server::next).isInstanceOf(FrameException.class).hasMessageContaining("line of 17 bytes");
    }

    @Test
    void invalidUtf8IsMalformedUnlessReplacementIsAsked() throws Exception {
        byte[] bad = {'o', 'k', (byte) 0xc3, (byte) 0x28, '\n'};
        IoPipe strict = IoPipe.create(64);
        strict.left().writeFrom(IoBuf.wrap(bad));
        assertThatThrownBy(() -> Codecs.lines(strict.right(), 64).next()).isInstanceOf(FrameException.class)
                .hasMessageContaining("not valid UTF-8 at byte 2 of a 4-byte line")
                .hasMessageContaining("CodingErrorAction.REPLACE");
        IoPipe lenient = IoPipe.create(64);
        lenient.left().writeFrom(IoBuf.wrap(bad));
        assertThat(Codecs.lines(lenient.right(), 64, CodingErrorAction.REPLACE).next()).isEqualTo("ok\uFFFD(");
    }

    @Test
    void aLastLineWithoutLineBreakIsALine() throws Exception {
        IoPipe pipe = IoPipe.create(64);
        pipe.left().writeFrom(IoBuf.wrap("a\nb".getBytes()));
        pipe.left().shutdownOutput();
        Framed<String> lines = Codecs.lines(pipe.right(), 64);
        assertThat(lines.next()).isEqualTo("a");
        assertThat(lines.next()).isEqualTo("b");
        assertThat(lines.next()).isNull();
    }

    @Test
    void anOutgoingFrameTheCodecRefusesIsNotSentAtAll() throws Exception {
        IoPipe pipe = IoPipe.create(256);
        Framed<String> client = Codecs.lines(pipe.left(), 8);
        assertThatThrownBy(() -> client.send("two\nlines")).isInstanceOf(FrameException.class)
                .hasMessageContaining("line break at index 3");
        assertThatThrownBy(() -> client.send("far too long")).isInstanceOf(FrameException.class)
                .hasMessageContaining("outgoing line of 12 bytes exceeds the limit of 8");
        client.send("fine");
        pipe.left().shutdownOutput();
        assertThat(new String(Io.readToEnd(pipe.right(), 100).toByteArray())).isEqualTo("fine\n");
    }

    /**
     * Line injection (issue 12, fault 3): a line break after a non-ASCII character is refused like
     * any other, so a peer never receives a line the sender did not send. A trailing {@code \r}
     * is refused too: the peer would take it for part of a CRLF and drop it.
     */
    @Test
    void aLineBreakAnywhereInAnOutgoingLineIsRefused() throws Exception {
        IoPipe pipe = IoPipe.create(256);
        Framed<String> client = Codecs.lines(pipe.left(), 100);
        for (String bad : List.of("é\nINJECTED", "abc\u0080\nINJECTED", "日本\n語", "é\u00ff\r\nX", "ünicode\n", "é\r")) {
            assertThatThrownBy(() -> client.send(bad)).as(bad).isInstanceOf(FrameException.class)
                    .satisfies(e -> assertThat(((FrameException) e).kind()).isEqualTo(FrameException.Kind.MALFORMED));
        }
        client.send("é fine\rstill one line");
        pipe.left().shutdownOutput();
        Framed<String> server = Codecs.lines(pipe.right(), 100);
        assertThat(server.next()).isEqualTo("é fine\rstill one line");
        assertThat(server.next()).as("nothing else arrived").isNull();
    }

    /**
     * A server with three connections, one of which sends garbage: that handler gets a
     * FrameException, answers ERR and closes; the other two keep being served.
     */
    @ParameterizedTest
    @MethodSource("runtimes")
    void badInputClosesOnlyItsOwnConnection(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                List<IoPipe> conns = List.of(IoPipe.create(256), IoPipe.create(256), IoPipe.create(256));
                List<Task<String>> handlers = new ArrayList<>();
                for (IoPipe c : conns) {
                    handlers.add(Weft.spawn(() -> {
                        try (Framed<String> f = Codecs.lines(c.right(), 32)) {
                            try {
                                String line;
                                while ((line = f.next()) != null) {
                                    f.send("echo " + line);
                                }
                                return "clean end";
                            } catch (FrameException e) {
                                f.send("ERR " + e.kind());         // writing still works after a bad frame
                                return "closed: " + e.kind();      // and the try closes this connection only
                            }
                        }
                    }));
                }
                Framed<String> good1 = Codecs.lines(conns.get(0).left(), 64);
                Framed<String> bad = Codecs.lines(conns.get(1).left(), 64);
                Framed<String> good2 = Codecs.lines(conns.get(2).left(), 64);
                good1.send("a");
                Io.writeAll(conns.get(1).left(), IoBuf.wrap(new byte[100]));         // 100 bytes, no line break
                good2.send("b");
                assertThat(bad.next()).isEqualTo("ERR OVERSIZED");
                assertThat(bad.next()).as("and its connection is closed").isNull();
                assertThat(handlers.get(1).join()).isEqualTo("closed: OVERSIZED");
                for (int i = 0; i < 20; i++) {
                    good1.send("a" + i);
                    good2.send("b" + i);
                }
                assertThat(good1.next()).isEqualTo("echo a");
                assertThat(good2.next()).isEqualTo("echo b");
                for (int i = 0; i < 20; i++) {
                    assertThat(good1.next()).isEqualTo("echo a" + i);
                    assertThat(good2.next()).isEqualTo("echo b" + i);
                }
                conns.get(0).left().shutdownOutput();
                conns.get(2).left().shutdownOutput();
                assertThat(handlers.get(0).join()).isEqualTo("clean end");
                assertThat(handlers.get(2).join()).isEqualTo("clean end");
            });
        }
    }

    /** A receive that loses a select against a short sleep keeps every byte: all frames arrive, in order. */
    @ParameterizedTest
    @MethodSource("runtimes")
    void aNextThatLosesASelectLosesNoFrame(Harness.Rt kind) {
        int frames = 3_000;
        try (Runtime rt = kind.open()) {
            int timeouts = rt.run(() -> {
                IoPipe pipe = IoPipe.create(100);
                Task<Void> sender = Weft.spawn(() -> {
                    Random rnd = new Random(13);
                    Framed<byte[]> out = Codecs.lengthDelimited(pipe.left(), 4096);
                    for (int i = 0; i < frames; i++) {
                        byte[] m = new byte[1 + rnd.nextInt(300)];
                        java.util.Arrays.fill(m, (byte) i);
                        m[0] = (byte) (i >>> 8);
                        out.send(m);
                        if (rnd.nextInt(20) == 0) {         // long enough, at times, for the reader's sleep to win
                            Weft.sleep(Duration.ofNanos(rnd.nextInt(3_000_000)));
                        }
                    }
                    pipe.left().shutdownOutput();
                });
                Framed<byte[]> in = Codecs.lengthDelimited(pipe.right(), 4096);
                int lost = 0;
                int next = 0;
                while (true) {
                    Either<byte[], Void> r = Weft.select(in.nextFuture(), Harness.shortSleep(200));
                    if (r instanceof Either.First<byte[], Void>(byte[] m)) {
                        if (m == null) {
                            break;
                        }
                        assertThat(m[0]).isEqualTo((byte) (next >>> 8));
                        assertThat(m[m.length - 1]).as("frame %d", next).isEqualTo(m.length == 1 ? (byte) (next >>> 8) : (byte) next);
                        next++;
                    } else {
                        lost++;
                    }
                }
                assertThat(next).isEqualTo(frames);
                sender.join();
                return lost;
            });
            assertThat(timeouts).as("some selects must have been lost, or the test proves nothing").isPositive();
        }
    }

    @Test
    void aFramedIsAStreamForPollCode() {
        try (Runtime rt = dev.weft.runtime.Runtimes.currentThread()) {
            List<String> got = rt.run(() -> {
                IoPipe pipe = IoPipe.create(64);
                Io.writeAll(pipe.left(), IoBuf.wrap("x\ny\nz\n".getBytes()));
                pipe.left().shutdownOutput();
                return Weft.await(Codecs.lines(pipe.right(), 8).map(String::toUpperCase).toList());
            });
            assertThat(got).containsExactly("X", "Y", "Z");
        }
    }

    @Test
    void aFrameLargerThanTheInitialBufferGrowsIt() throws Exception {
        IoPipe pipe = IoPipe.create(1 << 20);
        byte[] big = Harness.randomBytes(new Random(17), 300_000);
        Codecs.lengthDelimited(pipe.left(), 1 << 20).send(big);
        assertThat(Codecs.lengthDelimited(pipe.right(), 1 << 20).next()).isEqualTo(big);
    }
}

package dev.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link AsyncBufWrite}: room lent in the writer's own buffer, the contract of a reservation, and
 * the users that encode in place ({@link Framed}, {@link Io#copy}).
 */
class BufWriteInPlaceTest {

    /** Collects everything written to it; accepts at most {@code room} bytes until {@link #drain}. */
    static final class Sink implements AsyncWrite {
        final java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        int room = Integer.MAX_VALUE;
        int writes;
        dev.weft.Waker parked;

        @Override
        public int pollWrite(Context cx, IoBuf src) {
            int n = Math.min(room, src.remaining());
            if (n == 0) {
                parked = cx.waker();
                return AsyncRead.PENDING;
            }
            got.write(src.slice(src.position(), n).toByteArray(), 0, n);
            src.advance(n);
            room -= room == Integer.MAX_VALUE ? 0 : n;
            writes++;
            return n;
        }

        @Override
        public boolean pollFlush(Context cx) {
            return true;
        }

        @Override
        public boolean pollShutdown(Context cx) {
            return true;
        }

        void drain() {
            room = Integer.MAX_VALUE;
            if (parked != null) {
                parked.wake();
            }
        }

        String text() {
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * A writer that only lends room: {@code pollWrite} (the copying path) fails the test. Its
     * room is a fresh 64-byte buffer per reservation, appended to {@link #got} at commit.
     */
    static class LendOnly implements AsyncBufWrite {
        final java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        IoBuf lent;
        boolean full;
        int reserves;

        @Override
        public IoBuf pollReserve(Context cx, int min) {
            if (full) {
                return null;
            }
            reserves++;
            lent = IoBuf.allocate(64);
            return lent;
        }

        @Override
        public void commit(int n) {
            got.write(lent.slice(0, n).toByteArray(), 0, n);
            lent = null;
        }

        @Override
        public int maxReserve() {
            return 64;
        }

        @Override
        public int pollWrite(Context cx, IoBuf src) {
            throw new AssertionError("copied through pollWrite: " + src.remaining() + " bytes");
        }

        @Override
        public boolean pollFlush(Context cx) {
            return true;
        }

        @Override
        public boolean pollShutdown(Context cx) {
            return true;
        }
    }

    private static IoBuf ascii(String s) {
        return IoBuf.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void committedBytesJoinWritesInOrderAndGoOutOnFlush() throws IOException {
        Sink sink = new Sink();
        BufWriter w = new BufWriter(sink, 16);
        Context cx = Context.noop();
        w.pollWrite(cx, ascii("ab"));
        IoBuf room = w.pollReserve(cx, 3);
        assertThat(room.position()).isZero();
        assertThat(room.remaining()).isEqualTo(14);         // all the free room, not just the minimum
        room.put((byte) 'c').put((byte) 'd').put((byte) 'e');
        w.commit(room.position());
        w.pollWrite(cx, ascii("f"));
        assertThat(sink.writes).isZero();                   // gathered, not written yet
        assertThat(w.pollFlush(cx)).isTrue();
        assertThat(sink.text()).isEqualTo("abcdef");
        assertThat(sink.writes).isEqualTo(1);
    }

    @Test
    void aReservationEndsAtItsCommitAndAtTheNextCall() {
        BufWriter w = new BufWriter(new Sink(), 16);
        Context cx = Context.noop();
        IoBuf room = w.pollReserve(cx, 1);
        IoBuf viewOfRoom = room.duplicate();
        w.commit(0);
        assertThatThrownBy(() -> room.put((byte) 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Reserve again");
        assertThatThrownBy(() -> viewOfRoom.get(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.commit(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without a reservation");

        IoBuf stale = w.pollReserve(cx, 1);
        w.pollWrite(cx, ascii("x"));                        // a write ends the reservation too
        assertThatThrownBy(() -> stale.put((byte) 1)).isInstanceOf(IllegalStateException.class);
        IoBuf again = w.pollReserve(cx, 1);
        w.pollFlush(cx);
        assertThatThrownBy(() -> again.put((byte) 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badReservationsAndCommitsNameTheLimit() {
        BufWriter w = new BufWriter(new Sink(), 16);
        Context cx = Context.noop();
        assertThatThrownBy(() -> w.pollReserve(cx, 17)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 16 bytes");
        assertThatThrownBy(() -> w.pollReserve(cx, 0)).isInstanceOf(IllegalArgumentException.class);
        IoBuf room = w.pollReserve(cx, 4);
        assertThatThrownBy(() -> w.commit(room.capacity() + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("room for 16 bytes");
        assertThat(w.maxReserve()).isEqualTo(16);
    }

    @Test
    void aFullBufferDrainsBeforeLendingAndWaitsForTheWriter() {
        Sink sink = new Sink();
        BufWriter w = new BufWriter(sink, 8);
        Harness.CountingWaker waker = new Harness.CountingWaker();
        w.pollWrite(waker.cx, ascii("1234567"));
        sink.room = 0;                                      // the writer underneath is full
        assertThat(w.pollReserve(waker.cx, 4)).isNull();    // needs room: drains, which must wait
        sink.drain();
        assertThat(waker.count()).isEqualTo(1);
        IoBuf room = w.pollReserve(waker.cx, 4);
        assertThat(room.remaining()).isEqualTo(8);
        room.put(ascii("89"));
        w.commit(2);
        assertThat(w.pollFlush(waker.cx)).isTrue();
        assertThat(sink.text()).isEqualTo("123456789");
    }

    @Test
    void framedEncodesIntoTheWritersRoomAndNeverCopiesThroughPollWrite() throws IOException {
        LendOnly out = new LendOnly();
        Framed<String> f = Framed.of(null, out, Codecs.lineCodec(100, java.nio.charset.CodingErrorAction.REPORT));
        for (int i = 0; i < 5; i++) {
            f.feed("frame " + i);
        }
        f.flush();
        assertThat(out.got.toString(StandardCharsets.UTF_8)).isEqualTo("frame 0\nframe 1\nframe 2\nframe 3\nframe 4\n");
        assertThat(out.reserves).isEqualTo(5);
    }

    @Test
    void framedKeepsFrameOrderWhenTheWriterHasNoRoomAtFeedTime() throws IOException {
        Sink sink = new Sink();
        BufWriter w = new BufWriter(sink, 24);
        Framed<String> f = Framed.of(null, w, Codecs.lineCodec(100, java.nio.charset.CodingErrorAction.REPORT));
        sink.room = 0;
        f.feed("aaaaaa");                       // room for its 19-byte bound: encoded into the writer's buffer
        f.feed("bbbbbb");                       // 17 bytes left, and the writer cannot drain: queued in the Framed
        f.feed("c");                            // after b, never before it
        assertThat(f.toString()).contains("9 queued out");
        sink.drain();
        f.flush();
        assertThat(sink.text()).isEqualTo("aaaaaa\nbbbbbb\nc\n");
    }

    @Test
    void aSendWaitingForRoomQueuesNothingSoCancellingItSendsNothing() throws IOException {
        LendOnly out = new LendOnly();
        Framed<String> f = Framed.of(null, out, Codecs.lineCodec(100, java.nio.charset.CodingErrorAction.REPORT));
        out.full = true;
        Future<Void> send = f.sendFuture("never");
        assertThat(send.poll(Context.noop()).isPending()).isTrue();
        send.drop();                            // cancelled while waiting for room
        out.full = false;
        f.send("next");
        assertThat(out.got.toString(StandardCharsets.UTF_8)).isEqualTo("next\n");
    }

    @Test
    void aFrameTheCodecRefusesLeavesNothingInTheWriter() throws IOException {
        LendOnly out = new LendOnly();
        Framed<String> f = Framed.of(null, out, Codecs.lineCodec(4, java.nio.charset.CodingErrorAction.REPORT));
        assertThatThrownBy(() -> f.feed("too long")).isInstanceOf(FrameException.class);
        f.send("ok");
        assertThat(out.got.toString(StandardCharsets.UTF_8)).isEqualTo("ok\n");
    }

    @Test
    void copyReadsStraightIntoTheWritersRoom() throws IOException {
        IoPipe pipe = IoPipe.create(1024);
        byte[] data = new byte[1000];
        new java.util.Random(7).nextBytes(data);
        pipe.left().writeFrom(IoBuf.wrap(data));
        pipe.left().shutdownOutput();
        List<byte[]> chunks = new ArrayList<>();
        LendOnly out = new LendOnly() {
            @Override
            public void commit(int n) {
                chunks.add(lent.slice(0, n).toByteArray());
                super.commit(n);
            }
        };
        long copied = Io.copy(pipe.right(), out);
        assertThat(copied).isEqualTo(1000);
        assertThat(out.got.toByteArray()).isEqualTo(data);
        assertThat(chunks).allSatisfy(c -> assertThat(c.length).isLessThanOrEqualTo(64));
    }
}

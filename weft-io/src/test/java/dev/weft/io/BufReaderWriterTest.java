package dev.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Context;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BufReader shows buffered bytes in place and reads ahead; BufWriter gathers small writes. */
class BufReaderWriterTest {

    /** A reader that records every destination it is asked to fill. */
    static final class CountingReader implements AsyncRead {
        final AsyncRead inner;
        final List<IoBuf> calls = new ArrayList<>();

        CountingReader(AsyncRead inner) {
            this.inner = inner;
        }

        @Override
        public int pollRead(Context cx, IoBuf dst) {
            calls.add(dst);
            return inner.pollRead(cx, dst);
        }
    }

    /** A writer that records the size of every write it gets. */
    static final class CountingWriter implements AsyncWrite {
        final AsyncWrite inner;
        final List<Integer> writes = new ArrayList<>();
        int flushes;
        int shutdowns;

        CountingWriter(AsyncWrite inner) {
            this.inner = inner;
        }

        @Override
        public int pollWrite(Context cx, IoBuf src) {
            int n = inner.pollWrite(cx, src);
            if (n >= 0) {
                writes.add(n);
            }
            return n;
        }

        @Override
        public boolean pollFlush(Context cx) {
            flushes++;
            return inner.pollFlush(cx);
        }

        @Override
        public boolean pollShutdown(Context cx) {
            shutdowns++;
            return inner.pollShutdown(cx);
        }
    }

    @Test
    void fillShowsTheBufferedBytesInPlaceAndConsumeMovesPastThem() throws Exception {
        IoPipe pipe = IoPipe.create(64);
        pipe.left().writeFrom(IoBuf.wrap("hello world".getBytes()));
        CountingReader source = new CountingReader(pipe.right());
        BufReader in = new BufReader(source, 16);
        IoBuf view = in.fill();
        assertThat(view.isReadOnly()).isTrue();
        assertThat(new String(view.toByteArray())).isEqualTo("hello world");
        assertThat(view.segment().asOverlappingSlice(in.buffer().segment())).as("a view of the reader's buffer, no copy")
                .isPresent();
        in.consume(6);
        assertThat(new String(in.fill().toByteArray())).isEqualTo("world");
        assertThat(source.calls).as("served from the buffer: one source read").hasSize(1);
        assertThatThrownBy(() -> in.consume(6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 are buffered");
        in.consume(5);
        pipe.left().close();
        assertThat(in.fill().hasRemaining()).as("empty view at the end").isFalse();
    }

    @Test
    void smallReadsAreServedFromOneSourceReadAndLargeOnesBypassTheBuffer() throws Exception {
        IoPipe pipe = IoPipe.create(256);
        byte[] data = new byte[100];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        pipe.left().writeFrom(IoBuf.wrap(data));
        CountingReader source = new CountingReader(pipe.right());
        BufReader in = new BufReader(source, 32);
        IoBuf small = IoBuf.allocate(4);
        assertThat(in.readInto(small)).isEqualTo(4);
        assertThat(in.readInto(small.clear())).isEqualTo(4);
        assertThat(source.calls).hasSize(1);
        assertThat(in.buffered()).isEqualTo(24);
        IoBuf big = IoBuf.allocate(64);
        assertThat(in.readInto(big)).as("the buffered bytes first").isEqualTo(24);
        assertThat(in.readInto(big.clear())).isEqualTo(64);
        assertThat(source.calls.getLast()).as("the empty buffer is skipped for a large read").isSameAs(big);
        assertThat(big.flip().get(0)).isEqualTo((byte) 32);
    }

    @Test
    void aReaderOverAPooledDirectBuffer() throws Exception {
        try (BufPool pool = BufPool.direct(64, 1)) {
            IoPipe pipe = IoPipe.create(64);
            BufReader in = new BufReader(pipe.right(), pool.take());
            pipe.left().writeFrom(IoBuf.wrap(new byte[] {1, 2, 3}));
            assertThat(in.fill().isDirect()).isTrue();
            pool.give(in.buffer());
        }
    }

    @Test
    void smallWritesGatherUntilFlushAndShutdownFlushesFirst() throws Exception {
        IoPipe pipe = IoPipe.create(1024);
        CountingWriter sink = new CountingWriter(pipe.left());
        BufWriter out = new BufWriter(sink, 64);
        for (int i = 0; i < 10; i++) {
            assertThat(out.writeFrom(IoBuf.wrap(new byte[] {(byte) i, (byte) i}))).isEqualTo(2);
        }
        assertThat(sink.writes).as("nothing reached the writer yet").isEmpty();
        assertThat(out.buffered()).isEqualTo(20);
        out.flush();
        assertThat(sink.writes).containsExactly(20);
        assertThat(sink.flushes).isEqualTo(1);
        out.writeFrom(IoBuf.wrap(new byte[] {42}));
        out.shutdownOutput();
        assertThat(sink.writes).containsExactly(20, 1);
        assertThat(sink.shutdowns).isEqualTo(1);
        assertThat(Io.readToEnd(pipe.right(), 100).remaining()).isEqualTo(21);
    }

    @Test
    void aWriteLargerThanTheBufferGoesStraightThroughAfterThePendingBytes() throws Exception {
        IoPipe pipe = IoPipe.create(1024);
        CountingWriter sink = new CountingWriter(pipe.left());
        BufWriter out = new BufWriter(sink, 16);
        out.writeFrom(IoBuf.wrap(new byte[] {1, 2, 3}));
        IoBuf big = IoBuf.wrap(new byte[100]);
        Io.writeAll(out, big);
        assertThat(sink.writes).containsExactly(3, 100);
        assertThat(out.buffered()).isZero();
    }

    @Test
    void aFullWriterMakesTheBufferedWriterWaitWithoutLosingBytes() {
        IoPipe pipe = IoPipe.create(4);
        BufWriter out = new BufWriter(pipe.left(), 8);
        Harness.CountingWaker w = new Harness.CountingWaker();
        assertThat(out.pollWrite(w.cx, IoBuf.wrap(new byte[] {1, 2, 3, 4, 5, 6}))).isEqualTo(6);
        IoBuf more = IoBuf.wrap(new byte[] {7, 8, 9, 10, 11, 12});
        assertThat(out.pollWrite(w.cx, more)).as("no room: the buffer must drain into a full pipe").isEqualTo(AsyncRead.PENDING);
        assertThat(more.position()).as("a pending write takes nothing").isZero();
        assertThat(out.buffered()).as("4 went out before the pipe filled").isEqualTo(2);
        IoBuf got = IoBuf.allocate(16);
        pipe.right().pollRead(Context.noop(), got);
        assertThat(w.count()).as("the read woke the writer").isPositive();
        assertThat(out.pollWrite(w.cx, more)).isEqualTo(6);
        while (!out.pollFlush(w.cx)) {
            pipe.right().pollRead(Context.noop(), got);
        }
        pipe.right().pollRead(Context.noop(), got);
        assertThat(got.flip().toByteArray()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    }
}

package dev.weft.io.snippets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Context;
import dev.weft.Either;
import dev.weft.Poll;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.io.AsyncBufWrite;
import dev.weft.io.AsyncRead;
import dev.weft.io.AsyncWrite;
import dev.weft.io.BufIOException;
import dev.weft.io.BufPool;
import dev.weft.io.BufReader;
import dev.weft.io.BufWriter;
import dev.weft.io.Codec;
import dev.weft.io.Codecs;
import dev.weft.io.FrameException;
import dev.weft.io.Framed;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.IoPipe;
import dev.weft.io.OwnedIo;
import dev.weft.io.PipeEnd;
import dev.weft.io.ReadResult;
import dev.weft.runtime.Runtimes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Javadoc examples of weft-io's buffers, traits, helpers and codecs, run as tests. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IoSnippets {

    @Test
    void iobuf() {
        // @start region="iobuf"
        IoBuf buf = IoBuf.allocateDirect(64);        // or IoBuf.allocate (heap), IoBuf.wrap(bytes), pool.take()
        buf.putInt(42).put("hi".getBytes());         // write at the position
        buf.flip();                                  // now read what was written
        int n = buf.getInt();                        // 42, big-endian
        IoBuf rest = buf.slice();                    // "hi": a view of the same memory, no copy
        // @end
        assertThat(n).isEqualTo(42);
        assertThat(new String(rest.toByteArray())).isEqualTo("hi");
    }

    @Test
    void nio() throws IOException {
        ReadableByteChannel channel = Channels.newChannel(new ByteArrayInputStream(new byte[] {1, 2, 3}));
        IoBuf buf = IoBuf.allocateDirect(16);
        // @start region="nio"
        int count = channel.read(buf.asByteBuffer());   // the channel writes straight into buf's memory
        if (count > 0) {
            buf.advance(count);                          // then move buf's position past the new bytes
        }
        // @end
        assertThat(buf.position()).isEqualTo(3);
    }

    @Test
    void pool() {
        // @start region="pool"
        try (BufPool pool = BufPool.direct(64 * 1024, 256)) {   // 16 MiB of native memory, freed at close
            IoBuf buf = pool.take();
            try {
                buf.putLong(System.nanoTime());
            } finally {
                pool.give(buf);                                 // buf is dead from here on
            }
            assertThatThrownBy(buf::flip).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("given back");
        }
        // @end
    }

    @Test
    void asyncRead() {
        try (var rt = Runtimes.currentThread()) {
            String got = rt.run(() -> {
                IoPipe pipe = IoPipe.create(64);
                Weft.spawn(() -> {
                    Io.writeAll(pipe.left(), IoBuf.wrap("ping".getBytes()));
                    pipe.left().shutdownOutput();
                });
                AsyncRead in = pipe.right();
                // @start region="asyncRead"
                IoBuf buf = IoBuf.allocate(1024);
                int n;
                while ((n = in.readInto(buf)) > 0) {       // sequential: parks the task, like InputStream.read
                    // buf's position moved by n
                }
                // poll code calls the same source: int r = in.pollRead(cx, buf); if (r == AsyncRead.PENDING) return Poll.pending();
                // @end
                assertThat(n).isEqualTo(AsyncRead.EOF);
                return new String(buf.flip().toByteArray());
            });
            assertThat(got).isEqualTo("ping");
        }
    }

    @Test
    void asyncWrite() throws IOException {
        IoPipe pipe = IoPipe.create(64);
        AsyncWrite out = pipe.left();
        // @start region="asyncWrite"
        IoBuf msg = IoBuf.wrap("hello".getBytes());
        Io.writeAll(out, msg);              // every byte, parking while the peer is slow
        out.shutdownOutput();               // flush, then half-close: the peer reads the end
        // @end
        assertThat(new String(Io.readToEnd(pipe.right(), 64).toByteArray())).isEqualTo("hello");
    }

    @Test
    void bufRead() throws IOException {
        IoPipe pipe = IoPipe.create(64);
        pipe.left().writeFrom(IoBuf.wrap("GET /index.html\r\nHost: x\r\n".getBytes()));
        // @start region="bufRead"
        BufReader in = new BufReader(pipe.right());
        IoBuf view = in.fill();                              // the buffered bytes, read-only, not copied
        int space = view.indexOf((byte) ' ');                // scan in place
        String method = new String(view.slice(view.position(), space - view.position()).toByteArray());
        in.consume(space - view.position() + 1);             // used them: the next fill starts after
        // @end
        assertThat(method).isEqualTo("GET");
        assertThat(new String(in.fill().toByteArray())).startsWith("/index.html");
    }

    @Test
    void bufWrite() throws IOException {
        IoPipe pipe = IoPipe.create(1024);
        // @start region="bufWrite"
        BufWriter out = new BufWriter(pipe.left(), 4096);
        for (int i = 0; i < 100; i++) {
            out.writeFrom(IoBuf.wrap(new byte[] {(byte) i}));   // gathered in the buffer
        }
        out.flush();                                            // one write of 100 bytes
        // @end
        assertThat(pipe.right().available()).isEqualTo(100);
    }

    @Test
    void bufWriteInPlace() throws IOException {
        IoPipe pipe = IoPipe.create(1024);
        // @start region="bufWriteInPlace"
        AsyncBufWrite out = new BufWriter(pipe.left(), 4096);  // or a TcpStream: on io_uring, its send buffer
        IoBuf room = out.reserve(12);                          // at least 12 bytes of the writer's own buffer
        room.putInt(8).putLong(System.nanoTime());             // encode in place: a length, then a timestamp
        out.commit(room.position());                           // hand over what was written; nothing was copied
        out.flush();
        // @end
        assertThat(pipe.right().available()).isEqualTo(12);
    }

    @Test
    void owned() {
        try (var rt = Runtimes.currentThread(); BufPool pool = BufPool.direct(4096, 4)) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create(64);
                Task<Void> client = Weft.spawn(() -> {
                    Io.writeAll(pipe.left(), IoBuf.wrap("echo me".getBytes()));
                    pipe.left().shutdownOutput();
                });
                OwnedIo conn = pipe.right();      // a TcpStream implements OwnedIo too
                // @start region="owned"
                IoBuf buf = pool.take();
                while (true) {
                    ReadResult r = conn.read(buf);           // buf is lent to the read and comes back
                    buf = r.buf();
                    if (r.eof()) {
                        break;
                    }
                    buf = conn.writeAll(buf.flip()).buf();   // out again, and back cleared
                }
                pool.give(buf);
                // @end
                pipe.right().shutdownOutput();
                client.join();
                assertThat(new String(Io.readToEnd(pipe.left(), 64).toByteArray())).isEqualTo("echo me");
            });
        }
    }

    @Test
    void ownedError() throws IOException {
        try (BufPool pool = BufPool.heap(64, 1)) {
            IoPipe pipe = IoPipe.create(64);
            pipe.left().reset();
            OwnedIo conn = pipe.right();
            IoBuf buf = pool.take();
            // @start region="ownedError"
            try {
                ReadResult r = conn.read(buf);
                buf = r.buf();
            } catch (BufIOException e) {
                buf = e.buf();                 // an error hands the buffer back too
            } finally {
                pool.give(buf);
            }
            // @end
            assertThat(pool.outstanding()).isZero();
        }
    }

    @Test
    void ownedCancel() {
        try (var rt = Runtimes.currentThread(); BufPool pool = BufPool.direct(4096, 4)) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create(64);
                OwnedIo conn = pipe.right();
                IoBuf buf = pool.take();
                List<String> log = new ArrayList<>();
                // @start region="ownedCancel"
                switch (Weft.select(conn.readOwned(buf), Weft.sleepFuture(Duration.ofMillis(10)))) {
                    case Either.First<ReadResult, Void>(ReadResult r) -> buf = r.buf();
                    case Either.Second<ReadResult, Void> timedOut -> {
                        buf = pool.take();   // the cancelled read sent the old buffer back to the pool
                        log.add("idle");
                    }
                }
                // @end
                pool.give(buf);
                assertThat(log).containsExactly("idle");
                assertThat(pool.outstanding()).isZero();
            });
        }
    }

    @Test
    void pipe() {
        try (var rt = Runtimes.multiThread()) {
            String reply = rt.run(() -> {
                // @start region="pipe"
                IoPipe pipe = IoPipe.create(16 * 1024);
                PipeEnd client = pipe.left();
                PipeEnd server = pipe.right();
                Task<Long> echo = Weft.spawn(() -> Io.copy(new BufReader(server), server));
                try (Framed<String> lines = Codecs.lines(client, 1024)) {
                    lines.send("hello");
                    return lines.next();                   // "hello", through the server
                } finally {
                    echo.join();                           // closing the client ended the copy
                }
                // @end
            });
            assertThat(reply).isEqualTo("hello");
        }
    }

    @Test
    void framed() {
        try (var rt = Runtimes.multiThread()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create(1024);
                Task<Void> server = Weft.spawn(() -> {
                    try (Framed<String> f = Codecs.lines(pipe.right(), 1024)) {
                        for (String line = f.next(); line != null; line = f.next()) {
                            f.send(line.equals("HELLO") ? "WELCOME" : "?");
                        }
                    }
                });
                var conn = pipe.left();                    // TcpStream.connect(addr) in real life
                // @start region="framed"
                Framed<String> lines = Codecs.lines(conn, 64 * 1024);
                lines.send("HELLO");
                String reply = lines.next();               // null at the end of the stream
                // from a poll task: lines.pollNext(cx), or Weft.iterate(lines) / lines.toList() as a Stream
                // @end
                assertThat(reply).isEqualTo("WELCOME");
                lines.close();
                server.join();
            });
        }
    }

    // @start region="codec"
    /** A fixed-size record codec: 8 bytes, a big-endian long. */
    static final class LongCodec implements Codec<Long> {
        @Override
        public Long decode(IoBuf src) {
            return src.remaining() < 8 ? null : src.getLong();     // null: wait for more bytes
        }

        @Override
        public int maxEncodedLength(Long item) {
            return 8;
        }

        @Override
        public void encode(Long item, IoBuf dst) {
            dst.putLong(item);
        }
    }
    // @end

    @Test
    void codec() throws IOException {
        IoPipe pipe = IoPipe.create(64);
        Framed<Long> out = Framed.of(pipe.left(), new LongCodec());
        Framed<Long> in = Framed.of(pipe.right(), new LongCodec());
        out.send(7L);
        out.send(-1L);
        pipe.left().shutdownOutput();
        assertThat(in.next()).isEqualTo(7L);
        assertThat(in.next()).isEqualTo(-1L);
        assertThat(in.next()).isNull();
    }

    @Test
    void frameError() throws IOException {
        IoPipe pipe = IoPipe.create(1024);
        pipe.left().writeFrom(IoBuf.wrap(new byte[200]));              // 200 bytes, no line break
        String outcome;
        // @start region="frameError"
        try (Framed<String> conn = Codecs.lines(pipe.right(), 100)) {
            try {
                String line = conn.next();
                outcome = "got " + line;
            } catch (FrameException e) {                 // e.g. "line of more than 100 bytes ... exceeds the limit"
                conn.send("ERR " + e.kind());            // writing still works: answer, then close this connection
                outcome = "closed: " + e.kind();
            }
        }
        // @end
        assertThat(outcome).isEqualTo("closed: OVERSIZED");
    }

    @Test
    void helpers() {
        try (var rt = Runtimes.currentThread()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create(1024);
                Io.writeAll(pipe.left(), IoBuf.allocate(4).putInt(5).flip());
                Io.writeAll(pipe.left(), IoBuf.wrap("hello\nworld\n".getBytes()));
                pipe.left().shutdownOutput();
                AsyncRead conn = pipe.right();
                // @start region="helpers"
                BufReader in = new BufReader(conn);
                IoBuf header = IoBuf.allocate(4);
                Io.readExact(in, header, 4);                           // exactly 4 bytes, or EOFException
                int length = header.flip().getInt();
                List<String> lines = new ArrayList<>();
                for (String line : Weft.iterate(Io.lines(in, 8192))) {  // found in the reader's buffer
                    lines.add(line);
                }
                // @end
                assertThat(length).isEqualTo(5);
                assertThat(lines).containsExactly("hello", "world");
                assertThat(Io.lines(in, 10).pollNext(Context.noop())).isSameAs(Poll.end());
            });
        }
    }
}

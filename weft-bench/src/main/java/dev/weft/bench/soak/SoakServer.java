package dev.weft.bench.soak;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.io.BufIOException;
import dev.weft.io.BufPool;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.ReadResult;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import dev.weft.runtime.Runtimes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The soak's echo server: a multi-thread runtime whose accept loop (a poll task) serves each
 * connection alternately as a poll task ({@link Io#copyFuture} through one pooled buffer) and as
 * a sequential task (owned reads and writes-all with one pooled buffer). Every buffer comes from
 * its {@link BufPool} (leak detection on) and goes back when the connection ends.
 */
final class SoakServer implements AutoCloseable {
    private final Runtime rt;
    private final BufPool pool;
    private final TcpListener listener;

    SoakServer(int workers, BufPool pool) {
        this.pool = pool;
        this.rt = Runtimes.multiThreadBuilder().name("soak-server").workers(workers).closeGrace(Duration.ofSeconds(1)).build();
        this.listener = rt.blockOn(cx -> {
            try {
                return Poll.ready(TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 2048));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        rt.spawnFuture("soak-accept", new Future<Void>() {
            private long accepted;

            @Override
            public Poll<Void> poll(Context cx) {
                for (;;) {
                    Poll<TcpStream> next = listener.pollAccept(cx);
                    if (next.isPending()) {
                        return Poll.pending();
                    }
                    TcpStream conn = next.value();
                    if ((accepted++ & 1) == 0) {
                        Runtime.current().spawnFuture("soak-echo-poll", servePoll(conn));
                    } else {
                        Runtime.current().spawn("soak-echo-seq", () -> serveSequential(conn));
                    }
                }
            }
        });
    }

    Runtime runtime() {
        return rt;
    }

    InetSocketAddress address() {
        return listener.localAddress();
    }

    private Void serveSequential(TcpStream conn) {
        IoBuf buf = pool.take();
        try (conn) {
            for (;;) {
                ReadResult r = conn.read(buf.clear());
                buf = r.buf();
                if (r.eof()) {
                    return null;
                }
                buf = conn.writeAll(buf.flip()).buf();
            }
        } catch (BufIOException e) {
            buf = e.buf();
            return null;
        } finally {
            pool.give(buf);
        }
    }

    private Future<Void> servePoll(TcpStream conn) {
        IoBuf buf = pool.take();
        Future<Long> copy = Io.copyFuture(conn, conn, buf);
        AtomicBoolean finished = new AtomicBoolean();
        Runnable finish = () -> {
            if (finished.compareAndSet(false, true)) {
                conn.close();
                pool.give(buf);
            }
        };
        return new Future<>() {
            @Override
            public Poll<Void> poll(Context cx) {
                try {
                    if (copy.poll(cx).isPending()) {
                        return Poll.pending();
                    }
                } catch (RuntimeException e) {
                    // the peer reset: this connection only
                }
                finish.run();
                return Poll.ready(null);
            }

            @Override
            public void drop() {
                try {
                    copy.drop();
                } finally {
                    finish.run();
                }
            }
        };
    }

    @Override
    public void close() {
        listener.close();
        rt.close();
    }
}

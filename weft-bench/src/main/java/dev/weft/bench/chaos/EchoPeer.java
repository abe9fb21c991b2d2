package dev.weft.bench.chaos;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.io.BufIOException;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.ReadResult;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The loopback echo server of a chaos run, on the main runtime: an accept loop (a sequential
 * task) that serves each connection alternately as a sequential task (owned reads and
 * writes-all with one pooled buffer) and as a poll task ({@link Io#copyFuture} through one pooled
 * buffer). Every buffer goes back to the pool when its connection ends, however it ends.
 */
final class EchoPeer {
    private final TcpListener listener;
    private final Tracked acceptor;

    private EchoPeer(TcpListener listener, Tracked acceptor) {
        this.listener = listener;
        this.acceptor = acceptor;
    }

    /** Binds on the current runtime (call from a task of the main runtime) and starts accepting. */
    static EchoPeer start(World w) throws IOException {
        TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0));
        IoFixtures pool = w.io;
        Runtime rt = Runtime.current();
        Tracked acceptor = w.ledger.spawn(rt, "echo/accept", () -> {
            long n = 0;
            while (true) {
                TcpStream conn = listener.accept();
                if ((n++ & 1) == 0) {
                    w.ledger.spawn(rt, "echo/serve-seq", () -> serveSequential(pool, conn));
                } else {
                    w.ledger.spawnFuture(rt, "echo/serve-poll", servePoll(pool, conn));
                }
            }
        });
        return new EchoPeer(listener, acceptor);
    }

    InetSocketAddress address() {
        return listener.localAddress();
    }

    /** Stops accepting: cancels the accept loop and closes the listener (connections still open finish on their own). */
    Tracked stop() {
        acceptor.task().cancel();
        listener.close();
        return acceptor;
    }

    private static Void serveSequential(IoFixtures pool, TcpStream conn) {
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
            buf = e.buf();          // the peer reset or vanished: this connection only
            return null;
        } finally {
            pool.pool.give(buf);         // does nothing for a buffer a cancelled operation already returned
        }
    }

    private static Future<Void> servePoll(IoFixtures pool, TcpStream conn) {
        IoBuf buf = pool.take();
        Future<Long> copy = Io.copyFuture(conn, conn, buf);
        AtomicBoolean finished = new AtomicBoolean();
        Runnable finish = () -> {
            if (finished.compareAndSet(false, true)) {
                conn.close();
                pool.pool.give(buf);
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
                    // the peer reset or vanished: this connection only
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
}

package dev.weft.bench.chaos;

import dev.weft.Runtime;
import dev.weft.bench.PooledEcho;
import dev.weft.io.Io;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import java.io.IOException;
import java.net.InetSocketAddress;

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
                    w.ledger.spawn(rt, "echo/serve-seq", () -> PooledEcho.sequential(conn, pool.take(), pool.pool::give));
                } else {
                    w.ledger.spawnFuture(rt, "echo/serve-poll", PooledEcho.poll(conn, pool.take(), pool.pool::give));
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
}

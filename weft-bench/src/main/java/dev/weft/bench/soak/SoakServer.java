package dev.weft.bench.soak;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.io.BufPool;
import dev.weft.io.Io;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import dev.weft.bench.PooledEcho;
import dev.weft.runtime.Runtimes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;

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
                        Runtime.current().spawnFuture("soak-echo-poll", PooledEcho.poll(conn, pool.take(), pool::give));
                    } else {
                        Runtime.current().spawn("soak-echo-seq", () -> PooledEcho.sequential(conn, pool.take(), pool::give));
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

    @Override
    public void close() {
        listener.close();
        rt.close();
    }
}

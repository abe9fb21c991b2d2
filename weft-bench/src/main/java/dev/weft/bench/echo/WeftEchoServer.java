package dev.weft.bench.echo;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Weft;
import dev.weft.io.AsyncRead;
import dev.weft.io.IoBuf;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import dev.weft.runtime.Runtimes;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * {@code weft-nio/poll} and {@code weft-nio/vthread}: the echo server on the multi-thread runtime
 * (one worker per core) and the NIO driver, written as a user would: a poll task per connection,
 * or a sequential task per connection.
 */
final class WeftEchoServer implements EchoServer {
    static final int BUFFER = 16 * 1024;

    private final Runtime rt;
    private final TcpListener listener;

    private WeftEchoServer(boolean poll) throws IOException {
        rt = Runtimes.multiThreadBuilder().name(poll ? "echo-poll" : "echo-vthread").workers(EchoServer.threads()).build();
        listener = rt.blockOn(cx -> {
            try {
                return Poll.ready(TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 1024));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (poll) {
            rt.spawnFuture("accept", new AcceptLoop(listener));
        } else {
            rt.spawn("accept", () -> {
                while (true) {
                    TcpStream conn = listener.accept();
                    Weft.spawn(() -> echo(conn));
                }
            });
        }
    }

    static WeftEchoServer poll() throws IOException {
        return new WeftEchoServer(true);
    }

    static WeftEchoServer sequential() throws IOException {
        return new WeftEchoServer(false);
    }

    /** A sequential task's echo loop: reads like java.net code. */
    private static void echo(TcpStream conn) throws IOException {
        try (conn) {
            IoBuf buf = IoBuf.allocateDirect(BUFFER);
            while (conn.readInto(buf.clear()) > 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    conn.writeFrom(buf);
                }
            }
        }
    }

    /** Accepts connections and spawns a poll task for each. */
    private record AcceptLoop(TcpListener listener) implements Future<Void> {
        @Override
        public Poll<Void> poll(Context cx) {
            for (;;) {
                Poll<TcpStream> next = listener.pollAccept(cx);
                if (!(next instanceof Poll.Ready<TcpStream> ready)) {
                    return Poll.pending();
                }
                Weft.spawnFuture(new EchoConn(ready.value()));
            }
        }
    }

    /** One connection's echo as a poll state machine: read what is there, write it all back, repeat. */
    private static final class EchoConn implements Future<Void> {
        private final TcpStream conn;
        private final IoBuf buf = IoBuf.allocateDirect(BUFFER);
        private boolean writing;

        EchoConn(TcpStream conn) {
            this.conn = conn;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            try {
                for (;;) {
                    if (!writing) {
                        int n = conn.pollRead(cx, buf.clear());
                        if (n == AsyncRead.PENDING) {
                            return Poll.pending();
                        }
                        if (n == AsyncRead.EOF) {
                            conn.close();
                            return Poll.ready(null);
                        }
                        buf.flip();
                        writing = true;
                    }
                    while (buf.hasRemaining()) {
                        if (conn.pollWrite(cx, buf) == AsyncRead.PENDING) {
                            return Poll.pending();
                        }
                    }
                    writing = false;
                }
            } catch (RuntimeException e) {
                conn.close();          // a reset peer ends only its own connection
                return Poll.ready(null);
            }
        }
    }

    @Override
    public int port() {
        return listener.localAddress().getPort();
    }

    @Override
    public void close() {
        listener.close();
        rt.close();
    }
}

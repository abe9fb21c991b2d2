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
import dev.weft.io.Tls;
import dev.weft.io.TlsStream;
import dev.weft.runtime.Runtimes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;

/**
 * {@code weft-nio-tls/poll}: the {@code weft-nio/poll} server with TLS. The multi-thread runtime
 * (one worker per core, the NIO driver), an accept loop as a poll task, and per connection a poll
 * task over {@code Tls.server(conn, context)} ({@link Echo}): read what is there, write it back,
 * and flush once nothing more is readable.
 */
final class WeftTlsEchoServer implements EchoServer {
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private final Runtime rt;
    private final TcpListener listener;

    WeftTlsEchoServer(Path keyStore) throws Exception {
        SSLContext context = TlsKeys.serverContext(keyStore);
        rt = Runtimes.multiThreadBuilder().name("echo-tls-poll").workers(EchoServer.threads()).ioDriver("nio").build();
        listener = rt.blockOn(cx -> {
            try {
                return Poll.ready(TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 1024));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        rt.spawnFuture("accept", new AcceptLoop(listener, context));
    }

    /** Accepts connections and spawns an {@link Echo} poll task for each (weft-examples' AcceptLoop, with TLS). */
    private record AcceptLoop(TcpListener listener, SSLContext context) implements Future<Void> {
        @Override
        public Poll<Void> poll(Context cx) {
            for (;;) {
                Poll<TcpStream> next = listener.pollAccept(cx);
                if (next.isPending()) {
                    return Poll.pending();
                }
                Weft.spawnFuture(new Echo(Tls.server(next.value(), context)));
            }
        }
    }

    /**
     * One TLS connection as a poll future. TLS writes are buffered until a flush (records the
     * stream below does not take at once wait there), so a plain copy that flushes only at the
     * end would never answer: this one flushes whenever a read finds nothing more, so each batch
     * of records read is answered before the task waits. An error (the peer closed without
     * close_notify, a reset) closes the connection.
     */
    static final class Echo implements Future<Void> {
        private final TlsStream tls;
        private final IoBuf buf = IoBuf.allocate(17 * 1024);   // read mode: bytes read, not written back yet
        private boolean unflushed;

        Echo(TlsStream tls) {
            this.tls = tls;
            buf.flip();
        }

        @Override
        public Poll<Void> poll(Context cx) {
            try {
                for (;;) {
                    if (buf.hasRemaining()) {
                        if (tls.pollWrite(cx, buf) == AsyncRead.PENDING) {
                            return Poll.pending();
                        }
                        unflushed = true;
                        continue;
                    }
                    buf.clear();
                    int r;
                    try {
                        r = tls.pollRead(cx, buf);
                    } finally {
                        buf.flip();
                    }
                    if (r == AsyncRead.PENDING) {
                        if (unflushed) {
                            if (!tls.pollFlush(cx)) {
                                return Poll.pending();
                            }
                            unflushed = false;
                        }
                        return Poll.pending();
                    }
                    if (r == AsyncRead.EOF) {
                        break;
                    }
                    if (!LOGGED.get() && LOGGED.compareAndSet(false, true)) {
                        System.err.println("echo: weft-nio-tls/poll negotiated " + tls.session().getProtocol() + " "
                                + tls.session().getCipherSuite());
                    }
                }
            } catch (RuntimeException e) {
                // the peer closed without close_notify, or reset: this connection only
            }
            close();
            return Poll.ready(null);
        }

        @Override
        public void drop() {
            close();
        }

        private void close() {
            try {
                tls.close();
            } catch (IOException e) {
                // closing anyway
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

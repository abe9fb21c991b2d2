package dev.weft.bench.echo;

import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.io.TcpListener;
import dev.weft.runtime.Runtimes;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * {@code weft-nio/poll} and {@code weft-nio/vthread}: the echo servers of
 * {@code dev.weft.examples.net.EchoServer} (a poll task per connection, or a sequential task per
 * connection) on the multi-thread runtime (one worker per core) and the NIO driver.
 */
final class WeftEchoServer implements EchoServer {
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
        // the servers of weft-examples' EchoServer, unchanged
        if (poll) {
            rt.spawnFuture("accept", new dev.weft.examples.net.EchoServer.AcceptLoop(listener));
        } else {
            rt.spawn("accept", () -> {
                dev.weft.examples.net.EchoServer.serve(listener);
                return null;
            });
        }
    }

    static WeftEchoServer poll() throws IOException {
        return new WeftEchoServer(true);
    }

    static WeftEchoServer sequential() throws IOException {
        return new WeftEchoServer(false);
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

package dev.weft.bench.echo;

import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.io.TcpListener;
import dev.weft.runtime.Runtimes;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * {@code weft-nio/poll}, {@code weft-nio/vthread}, {@code weft-uring/poll} and
 * {@code weft-uring/vthread}: the echo servers of {@code dev.weft.examples.net.EchoServer} (a poll
 * task per connection, or a sequential task per connection) on the multi-thread runtime (one
 * worker per core), with the NIO or the io_uring driver: the same server code, only the runtime's
 * {@code ioDriver} differs.
 */
final class WeftEchoServer implements EchoServer {
    private final Runtime rt;
    private final TcpListener listener;

    private WeftEchoServer(boolean poll, String driver) throws IOException {
        if (driver.equals("io_uring") && !dev.weft.uring.Uring.isAvailable()) {
            throw new IOException("io_uring is unavailable here: " + dev.weft.uring.Uring.unavailabilityCause());
        }
        rt = Runtimes.multiThreadBuilder().name(poll ? "echo-poll" : "echo-vthread").workers(EchoServer.threads())
                .ioDriver(driver).build();
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
        return new WeftEchoServer(true, "nio");
    }

    static WeftEchoServer sequential() throws IOException {
        return new WeftEchoServer(false, "nio");
    }

    static WeftEchoServer uringPoll() throws IOException {
        return new WeftEchoServer(true, "io_uring");
    }

    static WeftEchoServer uringSequential() throws IOException {
        return new WeftEchoServer(false, "io_uring");
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

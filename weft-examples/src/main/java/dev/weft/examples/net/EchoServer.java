package dev.weft.examples.net;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An echo server, written twice: as sequential tasks (one virtual thread per connection, code
 * that reads like {@code java.net}) and as poll tasks (one small state machine per connection).
 * Both run on the default (multi-thread) runtime and the NIO driver.
 *
 * <p>{@code ./weft java dev.weft.examples.net.EchoServer [sequential|poll] [port]} serves until
 * stopped; with no port it serves an ephemeral port, talks to itself once and exits.
 */
public final class EchoServer {
    private EchoServer() { }

    public static void main(String[] args) throws Exception {
        boolean poll = args.length > 0 && args[0].equals("poll");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        Weft.run(() -> {
            try (TcpListener listener = TcpListener.bind("127.0.0.1", port)) {
                System.out.println("echo server (" + (poll ? "poll" : "sequential") + " style) on " + listener.localAddress());
                Task<Void> server = poll ? Weft.spawnFuture(new AcceptLoop(listener)) : Weft.spawn(() -> serve(listener));
                if (port != 0) {
                    server.join();
                    return;
                }
                selfTest(listener);
                server.cancel();
            }
        });
    }

    // ------------------------------------------------------------------ sequential style

    /** Accepts forever; each connection gets its own sequential task. */
    public static void serve(TcpListener listener) throws IOException {
        while (true) {
            TcpStream conn = listener.accept();
            Weft.spawn(() -> echoLoop(conn));
        }
    }

    /** One connection in a sequential task: reads like java.net code. */
    static void echoLoop(TcpStream conn) throws IOException {
        try (conn) {
            IoBuf buf = IoBuf.allocateDirect(16 * 1024);
            while (conn.readInto(buf.clear()) > 0) {
                Io.writeAll(conn, buf.flip());
            }
        }
    }

    // ------------------------------------------------------------------ poll style

    /** Accepts connections and spawns a poll task for each. */
    public record AcceptLoop(TcpListener listener) implements Future<Void> {
        @Override
        public Poll<Void> poll(Context cx) {
            for (;;) {
                Poll<TcpStream> next = listener.pollAccept(cx);
                if (next.isPending()) {
                    return Poll.pending();
                }
                Weft.spawnFuture(echo(next.value()));
            }
        }
    }

    /**
     * One connection as a poll future: {@link Io#copyFuture} from the connection to itself (read
     * what is there, write it all back, again), then close; an error (a reset peer) closes it too.
     */
    public static Future<Void> echo(TcpStream conn) {
        Future<Long> copy = Io.copyFuture(conn, conn, IoBuf.allocateDirect(16 * 1024));
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
                conn.close();
                return Poll.ready(null);
            }

            @Override
            public void drop() {
                conn.close();
            }
        };
    }

    // ------------------------------------------------------------------ a quick self-test

    private static void selfTest(TcpListener listener) throws Exception {
        List<Task<String>> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String msg = "hello from client " + i;
            clients.add(Weft.spawn(() -> {
                try (TcpStream c = TcpStream.connect(listener.localAddress())) {
                    Io.writeAll(c, IoBuf.wrap(msg.getBytes()));
                    c.shutdownOutput();
                    return new String(Io.readToEnd(c, 1024).toByteArray());
                }
            }));
        }
        for (Task<String> c : clients) {
            System.out.println("  echoed: " + c.join());
        }
    }
}

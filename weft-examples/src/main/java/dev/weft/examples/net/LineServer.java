package dev.weft.examples.net;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.io.Codecs;
import dev.weft.io.FrameException;
import dev.weft.io.Framed;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import java.io.IOException;
import java.util.Locale;

/**
 * A line protocol over TCP, written twice (sequential and poll style) on the same codec: each
 * line is a command ({@code ECHO text}, {@code UPPER text}, {@code QUIT}); each answer is a line.
 * A line longer than {@value #MAX_LINE} bytes, or one that is not UTF-8, is a clear
 * {@link FrameException} that closes that connection only.
 *
 * <p>{@code ./weft java dev.weft.examples.net.LineServer [sequential|poll] [port]}; with no port
 * it serves an ephemeral port, talks to itself once and exits.
 */
public final class LineServer {
    static final int MAX_LINE = 4 * 1024;

    private LineServer() { }

    public static void main(String[] args) throws Exception {
        boolean poll = args.length > 0 && args[0].equals("poll");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        Weft.run(() -> {
            try (TcpListener listener = TcpListener.bind("127.0.0.1", port)) {
                System.out.println("line server (" + (poll ? "poll" : "sequential") + " style) on " + listener.localAddress());
                Task<Void> server = Weft.spawn(() -> {
                    while (true) {
                        TcpStream conn = listener.accept();
                        if (poll) {
                            Weft.spawnFuture(new Session(Codecs.lines(conn, MAX_LINE)));
                        } else {
                            Weft.spawn(() -> session(conn));
                        }
                    }
                });
                if (port != 0) {
                    server.join();
                    return;
                }
                try (Framed<String> client = Codecs.lines(TcpStream.connect(listener.localAddress()), MAX_LINE)) {
                    for (String cmd : new String[] {"ECHO hello", "UPPER quiet please", "NOPE", "QUIT"}) {
                        client.send(cmd);
                        System.out.println("  " + cmd + " -> " + client.next());
                    }
                }
                server.cancel();
            }
        });
    }

    /** The protocol, shared by both styles. Null means: close the connection. */
    static String answer(String line) {
        int space = line.indexOf(' ');
        String cmd = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String arg = space < 0 ? "" : line.substring(space + 1);
        return switch (cmd) {
            case "ECHO" -> arg;
            case "UPPER" -> arg.toUpperCase(Locale.ROOT);
            case "QUIT" -> "BYE";
            default -> "ERR unknown command '" + cmd + "'";
        };
    }

    // ------------------------------------------------------------------ sequential style

    static void session(TcpStream conn) throws IOException {
        try (Framed<String> lines = Codecs.lines(conn, MAX_LINE)) {
            String line;
            while ((line = lines.next()) != null) {
                String reply = answer(line);
                lines.send(reply);
                if (reply.equals("BYE")) {
                    return;
                }
            }
        } catch (FrameException e) {
            System.err.println("line server: closing " + conn + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ poll style

    /** One connection as a state machine: next line, then its answer, until the end or QUIT. */
    static final class Session implements Future<Void> {
        private final Framed<String> lines;
        private Future<Void> sending;
        private boolean quitting;

        Session(Framed<String> lines) {
            this.lines = lines;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            try {
                for (;;) {
                    if (sending != null) {
                        if (sending.poll(cx).isPending()) {
                            return Poll.pending();
                        }
                        sending = null;
                        if (quitting) {
                            return done();
                        }
                    }
                    Poll<String> next = lines.pollNext(cx);
                    if (next.isPending()) {
                        return Poll.pending();
                    }
                    if (!next.isReady()) {
                        return done();           // the client closed
                    }
                    String reply = answer(next.value());
                    quitting = reply.equals("BYE");
                    sending = lines.sendFuture(reply);
                }
            } catch (RuntimeException e) {
                System.err.println("line server: closing a connection: " + e.getMessage());
                return done();
            }
        }

        private Poll<Void> done() {
            drop();
            return Poll.ready(null);
        }

        @Override
        public void drop() {
            try {
                lines.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}

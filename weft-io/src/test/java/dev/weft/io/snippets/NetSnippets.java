package dev.weft.io.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.io.AsyncFile;
import dev.weft.io.Codecs;
import dev.weft.io.Framed;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import dev.weft.io.Tls;
import dev.weft.io.TlsStream;
import dev.weft.io.UdpSocket;
import dev.weft.runtime.Runtimes;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Javadoc examples of the network and file types, run as tests. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetSnippets {

    @Test
    void listener() {
        try (var rt = Runtimes.multiThread()) {
            rt.run(() -> {
                // @start region="listener"
                try (TcpListener listener = TcpListener.bind("127.0.0.1", 0)) {
                    Task<Void> server = Weft.spawn(() -> {
                        try (TcpStream conn = listener.accept()) {          // parks until a client connects
                            Io.writeAll(conn, IoBuf.wrap("hello\n".getBytes()));
                        }
                    });
                    try (TcpStream client = TcpStream.connect(listener.localAddress())) {
                        IoBuf reply = Io.readToEnd(client, 1024);
                        assertThat(new String(reply.toByteArray())).isEqualTo("hello\n");
                    }
                    server.join();
                }
                // @end
            });
        }
    }

    // @start region="echo"
    /** One connection of an echo server, in a sequential task: reads like java.net code. */
    static void echo(TcpStream conn) throws IOException {
        try (conn) {
            IoBuf buf = IoBuf.allocateDirect(16 * 1024);
            while (conn.readInto(buf.clear()) > 0) {            // parks the task, not the thread
                Io.writeAll(conn, buf.flip());
            }
        }
    }
    // @end

    @Test
    void echoServesAConnection() {
        try (var rt = Runtimes.currentThread()) {
            rt.run(() -> {
                try (TcpListener listener = TcpListener.bind("127.0.0.1", 0)) {
                    Task<Void> server = Weft.spawn(() -> echo(listener.accept()));
                    try (TcpStream client = TcpStream.connect(listener.localAddress())) {
                        Io.writeAll(client, IoBuf.wrap("ping".getBytes()));
                        client.shutdownOutput();
                        assertThat(new String(Io.readToEnd(client, 64).toByteArray())).isEqualTo("ping");
                    }
                    server.join();
                }
            });
        }
    }

    @Test
    void udp() {
        try (var rt = Runtimes.multiThread()) {
            rt.run(() -> {
                // @start region="udp"
                try (UdpSocket a = UdpSocket.bind("127.0.0.1", 0); UdpSocket b = UdpSocket.bind("127.0.0.1", 0)) {
                    a.sendTo(IoBuf.wrap("datagram".getBytes()), b.localAddress());
                    IoBuf in = IoBuf.allocate(1500);
                    SocketAddress from = b.receive(in);                 // one datagram, and who sent it
                    assertThat(from).isEqualTo(a.localAddress());
                    assertThat(new String(in.flip().toByteArray())).isEqualTo("datagram");
                }
                // @end
            });
        }
    }

    @Test
    void file(@TempDir Path dir) throws IOException {
        Path path = Files.writeString(dir.resolve("data.txt"), "0123456789");
        try (var rt = Runtimes.multiThread()) {
            rt.run(() -> {
                // @start region="file"
                try (AsyncFile file = AsyncFile.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    IoBuf buf = IoBuf.allocate(4);
                    int n = file.readAt(buf, 3);                        // positional: bytes 3..6
                    assertThat(new String(buf.flip().toByteArray())).isEqualTo("3456");
                    file.writeAllAt(IoBuf.wrap("AB".getBytes()), 8);    // on the blocking pool, never a worker
                    assertThat(n).isEqualTo(4);
                }
                // @end
            });
        }
        assertThat(Files.readString(path)).isEqualTo("01234567AB");
    }
    @Test
    void tlsClient(@TempDir Path dir) throws Exception {
        dev.weft.io.TlsCerts certs = dev.weft.io.TlsCerts.make(dir);
        SSLContext context = certs.client();                            // trusts the test server's certificate
        try (var rt = Runtimes.multiThread()) {
            rt.run(() -> {
                try (TcpListener listener = TcpListener.bind("127.0.0.1", 0)) {
                    SocketAddress address = listener.localAddress();
                    Task<Void> server = Weft.spawn(() -> {
                        try (TlsStream tls = Tls.server(listener.accept(), certs.server())) {
                            Framed<String> lines = Codecs.lines(tls, 1024);
                            String name = lines.next();
                            assertThat(lines.next()).isNull();              // the client's close_notify
                            lines.send("hello, " + name);
                            tls.shutdownOutput();
                        }
                    });
                    // @start region="tlsClient"
                    try (TlsStream tls = Tls.client(TcpStream.connect(address), context, "localhost")) {
                        Io.writeAll(tls, IoBuf.wrap("weft\n".getBytes()));   // the handshake runs in the first write
                        tls.shutdownOutput();                               // flush, close_notify, TCP's half-close
                        IoBuf reply = Io.readToEnd(tls, 1024);              // up to the server's close_notify
                        assertThat(new String(reply.toByteArray())).isEqualTo("hello, weft\n");
                    }
                    // @end
                    server.join();
                }
            });
        }
    }
}

package dev.weft.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the protocol versions differ. Renegotiation is refused (TLS 1.2: a second handshake started by either peer fails the stream
 * with an SSLException saying so, whether the peer is the JDK's SSLSocket or Weft), and TLS 1.3's
 * post-handshake key updates keep working (the JDK's {@code startHandshake()} on a TLS 1.3
 * connection, and an engine's {@code beginHandshake()}, both send a KeyUpdate that asks for one
 * back). And TLS 1.2 closes both directions at the first close_notify.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsRenegotiationTest {
    private static final String[] TLS12 = {"TLSv1.2"};

    @TempDir
    static Path certDir;
    static TlsCerts certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TlsCerts.make(certDir);
    }

    static IoBuf text(String s) {
        return IoBuf.wrap(s.getBytes(UTF_8));
    }

    static SSLEngine clientEngine(String... protocols) {
        SSLEngine e = certs.client().createSSLEngine("localhost", -1);
        e.setUseClientMode(true);
        SSLParameters p = e.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (protocols.length > 0) {
            p.setProtocols(protocols);
        }
        e.setSSLParameters(p);
        return e;
    }

    static SSLEngine serverEngine(String... protocols) {
        SSLEngine e = certs.server().createSSLEngine();
        e.setUseClientMode(false);
        if (protocols.length > 0) {
            e.setEnabledProtocols(protocols);
        }
        return e;
    }

    // ------------------------------------------------------------------ with the JDK over TCP

    /** The JDK's server asks for a renegotiation (a HelloRequest) on TLS 1.2: the Weft client's next read refuses it. */
    @Test
    void aJdkServerRenegotiatingOnTls12IsRefused() throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) certs.server().getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
             Runtime rt = Runtimes.multiThreadBuilder().name("tls").workers(2).build()) {
            listener.setEnabledProtocols(TLS12);
            AtomicReference<Object> serverSaw = new AtomicReference<>();
            Thread jdk = Thread.ofPlatform().name("jdk-tls-server").start(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), UTF_8));
                    String line = in.readLine();
                    s.getOutputStream().write(("OK " + line + "\n").getBytes(UTF_8));
                    s.getOutputStream().flush();
                    s.startHandshake();                               // TLS 1.2: sends a HelloRequest
                    serverSaw.set(in.readLine());                       // the client goes away instead of answering
                } catch (IOException e) {
                    serverSaw.set(e);
                }
            });
            InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            Throwable refused = rt.run(() -> {
                try (TlsStream tls = Tls.wrap(TcpStream.connect(addr), clientEngine(TLS12))) {
                    Framed<String> lines = Codecs.lines(tls, 1024);
                    lines.send("hello");
                    assertThat(lines.next()).isEqualTo("OK hello");
                    assertThat(tls.session().getProtocol()).isEqualTo("TLSv1.2");
                    return catchThrowable(lines::next);
                }
            });
            jdk.join(10_000);
            assertThat(refused).isInstanceOf(SSLException.class).hasMessageContaining("renegotiation is refused")
                    .hasMessageContaining("TLSv1.2");
            assertThat(jdk.isAlive()).isFalse();
            assertThat(serverSaw.get()).as("the JDK server got no line after its HelloRequest, only the end or an error")
                    .satisfiesAnyOf(v -> assertThat(v).isNull(), v -> assertThat(v).isInstanceOf(IOException.class));
        }
    }

    /** The JDK's client starts a renegotiation on TLS 1.2 (a new ClientHello): the Weft server refuses it. */
    @Test
    void aJdkClientRenegotiatingOnTls12IsRefused() {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("tls").workers(2).build()) {
            rt.run(() -> {
                try (TcpListener listener = TcpListener.bind("127.0.0.1", 0)) {
                    Task<Throwable> server = Weft.spawn(() -> {
                        try (TlsStream tls = Tls.wrap(listener.accept(), serverEngine(TLS12))) {
                            Framed<String> lines = Codecs.lines(tls, 1024);
                            lines.send("OK " + lines.next());
                            return catchThrowable(lines::next);
                        }
                    });
                    int port = listener.localAddress().getPort();
                    Task<Object> client = Weft.spawnBlocking(() -> {
                        try (SSLSocket s = (SSLSocket) certs.client().getSocketFactory().createSocket("localhost", port)) {
                            s.setEnabledProtocols(TLS12);
                            OutputStream out = s.getOutputStream();
                            out.write("hello\n".getBytes(UTF_8));
                            out.flush();
                            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), UTF_8));
                            assertThat(in.readLine()).isEqualTo("OK hello");
                            s.startHandshake();                         // TLS 1.2: a new ClientHello
                            return in.readLine();                       // the server closes instead
                        } catch (IOException e) {
                            return e;
                        }
                    });
                    assertThat(server.join()).isInstanceOf(SSLException.class)
                            .hasMessageContaining("the peer started a TLS renegotiation").hasMessageContaining("TLSv1.2");
                    assertThat(client.join()).as("the JDK client gets no new handshake").isNotInstanceOf(String.class);
                }
            });
        }
    }

    /**
     * On TLS 1.3 the JDK server's {@code startHandshake()} sends a KeyUpdate asking for one back:
     * the Weft client answers it and the conversation goes on under the new keys, both ways.
     */
    @Test
    void aTls13KeyUpdateFromTheJdkKeepsTheConnectionWorking() throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) certs.server().getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
             Runtime rt = Runtimes.multiThreadBuilder().name("tls").workers(2).build()) {
            AtomicReference<Object> serverSaw = new AtomicReference<>();
            Thread jdk = Thread.ofPlatform().name("jdk-tls-server").start(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), UTF_8));
                    OutputStream out = s.getOutputStream();
                    StringBuilder saw = new StringBuilder();
                    for (int i = 0; i < 3; i++) {
                        saw.append(in.readLine()).append(';');
                        s.startHandshake();                           // TLS 1.3: a KeyUpdate (update_requested)
                        out.write(("after key update " + i + "\n").getBytes(UTF_8));
                        out.flush();
                    }
                    saw.append(in.read());                              // -1: the client's close_notify
                    serverSaw.set(saw.toString());
                } catch (IOException e) {
                    serverSaw.set(e);
                }
            });
            InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            String got = rt.run(() -> {
                try (TlsStream tls = Tls.client(TcpStream.connect(addr), certs.client(), "localhost")) {
                    Framed<String> lines = Codecs.lines(tls, 1024);
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < 3; i++) {
                        lines.send("line " + i);                        // after the first: under the client's new keys
                        sb.append(lines.next()).append(';');
                    }
                    tls.shutdownOutput();
                    assertThat(lines.next()).isNull();
                    assertThat(tls.session().getProtocol()).isEqualTo("TLSv1.3");
                    return sb.toString();
                }
            });
            jdk.join(10_000);
            assertThat(got).isEqualTo("after key update 0;after key update 1;after key update 2;");
            assertThat(serverSaw.get()).isEqualTo("line 0;line 1;line 2;-1");
        }
    }

    // ------------------------------------------------------------------ Weft to Weft

    /**
     * Weft on both sides, over a pipe: on TLS 1.3 an engine's {@code beginHandshake()} after the
     * first exchange makes the server send a KeyUpdate with its next write; the client's read
     * answers it at once (bytes go out though the client writes nothing) and the exchange goes on. On TLS 1.2 the same call is a HelloRequest, and the client refuses it.
     */
    @Test
    void weftToWeftKeyUpdateWorksAndRenegotiationIsRefused() {
        try (Runtime rt = Runtimes.currentThread("tls")) {
            rt.run(() -> {
                for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                    IoPipe pipe = IoPipe.create();
                    SSLEngine serverEngine = serverEngine(protocol);
                    TlsStream server = Tls.wrap(pipe.right(), serverEngine);
                    Task<Object> serverTask = Weft.spawn(() -> {
                        Framed<String> lines = Codecs.lines(server, 1024);
                        for (int i = 0; i < 3; i++) {
                            String line = lines.next();
                            if (line == null) {
                                return "end";
                            }
                            serverEngine.beginHandshake();              // 1.3: KeyUpdate; 1.2: HelloRequest
                            lines.send("OK " + line);
                        }
                        return lines.next();
                    });
                    TlsTest.Tap clientTap = new TlsTest.Tap(pipe.left());
                    try (TlsStream client = Tls.wrap(clientTap, clientEngine(protocol))) {
                        Framed<String> lines = Codecs.lines(client, 1024);
                        lines.send("one");
                        int sent = clientTap.writtenBytes().length;
                        if (protocol.equals("TLSv1.3")) {
                            assertThat(lines.next()).isEqualTo("OK one");
                            assertThat(clientTap.writtenBytes().length).as("the reader answered the KeyUpdate at once, "
                                    + "without waiting for a write").isGreaterThan(sent);
                            lines.send("two");
                            assertThat(lines.next()).isEqualTo("OK two");
                            lines.send("three");
                            assertThat(lines.next()).isEqualTo("OK three");
                            client.shutdownOutput();
                            assertThat(serverTask.join()).as("the server's last read: the client's close_notify").isNull();
                        } else {
                            Throwable e = catchThrowable(lines::next);
                            assertThat(e).isInstanceOf(SSLException.class).hasMessageContaining("renegotiation is refused");
                            client.close();
                            assertThat(catchThrowable(serverTask::join)).isNotNull();
                        }
                    }
                    server.close();
                }
            });
        }
    }

    /** A Weft client's engine starts a second handshake on TLS 1.2: the Weft server refuses it. */
    @Test
    void aWeftClientRenegotiatingOnTls12IsRefusedByAWeftServer() {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("tls").workers(2).build()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create();
                TlsStream server = Tls.wrap(pipe.right(), serverEngine(TLS12));
                Task<Throwable> serverTask = Weft.spawn(() -> {
                    Framed<String> lines = Codecs.lines(server, 1024);
                    lines.send("OK " + lines.next());
                    return catchThrowable(lines::next);
                });
                SSLEngine clientEngine = clientEngine(TLS12);
                try (TlsStream client = Tls.wrap(pipe.left(), clientEngine)) {
                    Framed<String> lines = Codecs.lines(client, 1024);
                    lines.send("hello");
                    assertThat(lines.next()).isEqualTo("OK hello");
                    clientEngine.beginHandshake();                      // a new ClientHello goes with the next write
                    lines.send("again");
                    assertThat(serverTask.join()).isInstanceOf(SSLException.class)
                            .hasMessageContaining("the peer started a TLS renegotiation");
                }
                server.close();
            });
        }
    }
    /**
     * TLS 1.2 has no half-close: the JDK's engine answers a close_notify with its own and closes
     * its output. The client that shuts down sees the end at once; the server sees the end, and a
     * write after it fails saying why.
     */
    @Test
    void onTls12ACloseNotifyClosesBothDirections() {
        try (Runtime rt = Runtimes.currentThread("tls")) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create();
                TlsStream server = Tls.wrap(pipe.right(), serverEngine(TLS12));
                Task<Throwable> serverTask = Weft.spawn(() -> {
                    Framed<String> lines = Codecs.lines(server, 1024);
                    lines.send("OK " + lines.next());
                    assertThat(lines.next()).as("the client's close_notify").isNull();
                    Throwable late = catchThrowable(() -> Io.writeAll(server, text("too late\n")));
                    server.shutdownOutput();                            // still fine: nothing left to send
                    return late;
                });
                try (TlsStream client = Tls.wrap(pipe.left(), clientEngine(TLS12))) {
                    Framed<String> lines = Codecs.lines(client, 1024);
                    lines.send("request");
                    assertThat(lines.next()).isEqualTo("OK request");
                    client.shutdownOutput();
                    assertThat(lines.next()).as("the server engine's close_notify in answer").isNull();
                }
                assertThat(serverTask.join()).isInstanceOf(IOException.class)
                        .hasMessageContaining("which on TLSv1.2 closes both directions");
                server.close();
            });
        }
    }
}

package dev.weft.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.Context;
import dev.weft.Either;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS as a wrapper (issue 17): Weft to Weft over a pipe on every runtime, interop with the JDK's
 * {@code SSLSocket} both ways over TCP, handshake failures that say why, a peer that cuts the
 * connection or sends something that is not TLS, reads cancelled mid-handshake, stacking over
 * another wrapper, concurrent reading and writing. Every test that uses a {@link BufPool} checks
 * that the streams gave all its buffers back (leak detection on). Renegotiation and TLS 1.3 key
 * updates: {@link TlsRenegotiationTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTest {
    @TempDir
    static Path certDir;
    static TlsCerts certs;

    private final List<BufPool.Leak> leaks = new CopyOnWriteArrayList<>();
    private BufPool pool;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TlsCerts.make(certDir);
    }

    @BeforeEach
    void makePool() {
        pool = BufPool.builder(17 * 1024, 8).name("tls-test").leakDetection(true).leakListener(leaks::add).build();
    }

    /** Every buffer a TLS stream took from the pool is back: none outstanding, no leak reported at close. */
    @AfterEach
    void everyBufferCameBack() {
        assertThat(pool.outstanding()).as("pool buffers still taken").isZero();
        pool.close();
        assertThat(leaks).as("leak reports").isEmpty();
    }

    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    static IoBuf text(String s) {
        return IoBuf.wrap(s.getBytes(UTF_8));
    }

    /** A pass-through wrapper (the shape of any middleware) that records what goes down and can cut the connection. */
    static final class Tap implements AsyncIo {
        final AsyncIo below;
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        private volatile int cutAfter = -1;     // bytes still forwarded before the cut; -1: no cut
        private volatile boolean cut;

        Tap(AsyncIo below) {
            this.below = below;
        }

        /** Forwards {@code n} more bytes, then half-closes below (no close_notify) and drops the rest. */
        void cutAfter(int n) {
            cutAfter = n;
        }

        @Override
        public int pollRead(Context cx, IoBuf dst) {
            return below.pollRead(cx, dst);
        }

        @Override
        public int pollWrite(Context cx, IoBuf src) {
            if (cut) {
                int n = src.remaining();
                src.position(src.limit());
                return n;
            }
            int allowed = cutAfter < 0 ? src.remaining() : Math.min(src.remaining(), cutAfter);
            IoBuf part = src.duplicate();
            part.limit(part.position() + allowed);
            int n = below.pollWrite(cx, part);
            if (n == AsyncRead.PENDING) {
                return n;
            }
            byte[] b = new byte[n];
            src.get(src.position(), b, 0, n);
            synchronized (written) {
                written.write(b, 0, n);
            }
            src.advance(n);
            if (cutAfter > 0) {
                cutAfter -= n;
                if (cutAfter == 0) {
                    cut = true;
                    below.pollShutdown(cx);
                }
            }
            return n;
        }

        @Override
        public boolean pollFlush(Context cx) {
            return below.pollFlush(cx);
        }

        @Override
        public boolean pollShutdown(Context cx) {
            return below.pollShutdown(cx);
        }

        @Override
        public void close() throws IOException {
            below.close();
        }

        byte[] writtenBytes() {
            synchronized (written) {
                return written.toByteArray();
            }
        }
    }

    // ------------------------------------------------------------------ Weft to Weft

    /**
     * A line protocol over a pipe: three requests and answers, then close_notify both ways; the
     * server sees the end of the requests after the client's close_notify, the client the end after
     * the server's. Server in poll code (Framed over the TLS stream), client sequential.
     */
    @ParameterizedTest
    @MethodSource("runtimes")
    void requestAndResponseThenCloseNotifyBothWays(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create();
                Task<List<String>> server = Weft.spawn(() -> {
                    TlsStream tls = Tls.server(pipe.right(), certs.server(), pool);
                    try (Framed<String> lines = Codecs.lines(tls, 1024)) {
                        List<String> got = new ArrayList<>();
                        for (String line; (line = lines.next()) != null; ) {    // null: the client's close_notify
                            got.add(line);
                            lines.send("OK " + line);
                        }
                        lines.send("bye");                                   // TLS 1.3: a half-closed peer still reads
                        tls.shutdownOutput();
                        return got;
                    }
                });
                try (TlsStream client = Tls.client(pipe.left(), certs.client(), "localhost", pool)) {
                    BufReader in = new BufReader(client);
                    try (Weft.Items<String> answers = Weft.iterate(Io.lines(in, 1024))) {
                        Iterator<String> it = answers.iterator();
                        for (int i = 1; i <= 3; i++) {
                            Io.writeAll(client, text("GET /" + i + "\n"));
                            client.flush();
                            assertThat(it.next()).isEqualTo("OK GET /" + i);
                        }
                        assertThat(client.session().getProtocol()).isEqualTo("TLSv1.3");
                        client.shutdownOutput();                           // close_notify, then the pipe's half-close
                        assertThat(it.next()).isEqualTo("bye");
                        assertThat(it.hasNext()).as("the end after the server's close_notify").isFalse();
                    }
                    assertThat(client.readInto(IoBuf.allocate(16))).isEqualTo(AsyncRead.EOF);
                }
                assertThat(server.join()).containsExactly("GET /1", "GET /2", "GET /3");
            });
        }
    }

    /**
     * Both directions at once on two workers: a writer task streams 300 KB in random pieces while
     * the reader reads the echo back; the server echoes in poll code. Pipes of random small
     * capacities make every record arrive in pieces.
     */
    @Test
    void echoesWhileReadingAndWritingConcurrently() {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("tls").workers(2).build()) {
            rt.run(() -> {
                Random rnd = new Random(17);
                for (int round = 0; round < 3; round++) {
                    IoPipe pipe = IoPipe.create(1 + rnd.nextInt(20_000));
                    TlsStream serverSide = Tls.server(pipe.right(), certs.server(), pool);
                    Task<Long> server = Weft.spawnFuture(Io.copyFuture(new BufReader(serverSide, 5000), serverSide)
                            .then(n -> serverSide.shutdownFuture().map(v -> n)));
                    byte[] data = Harness.randomBytes(rnd, 300_000);
                    try (TlsStream client = Tls.client(pipe.left(), certs.client(), "localhost", pool)) {
                        Task<Void> writer = Weft.spawn(() -> {
                            int off = 0;
                            while (off < data.length) {
                                int n = Math.min(data.length - off, 1 + rnd.nextInt(40_000));
                                Io.writeAll(client, IoBuf.wrap(data, off, n));
                                off += n;
                            }
                            client.shutdownOutput();
                        });
                        IoBuf back = Io.readToEnd(client, data.length + 1);   // first read: whoever comes first drives the handshake
                        writer.join();
                        assertThat(back.toByteArray()).isEqualTo(data);
                    }
                    assertThat(server.join()).isEqualTo(data.length);
                    serverSide.close();
                }
            });
        }
    }

    // ------------------------------------------------------------------ interop with the JDK over TCP

    /** A Weft client (TcpStream on the NIO driver) and the JDK's SSLServerSocket on a plain thread. */
    @Test
    void weftClientTalksToAJdkServer() throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) certs.server().getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
             Runtime rt = Runtimes.multiThreadBuilder().name("tls").workers(2).build()) {
            AtomicReference<Object> serverSaw = new AtomicReference<>();
            Thread jdk = Thread.ofPlatform().name("jdk-tls-server").start(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), UTF_8));
                    String line = in.readLine();
                    s.getOutputStream().write(("OK " + line + "\n").getBytes(UTF_8));
                    s.getOutputStream().flush();
                    int end = in.read();                             // -1: the client's close_notify
                    serverSaw.set(line + "|" + end);
                } catch (IOException e) {
                    serverSaw.set(e);
                }
            });
            InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            String answer = rt.run(() -> {
                try (TlsStream tls = Tls.client(TcpStream.connect(addr), certs.client(), "localhost", pool)) {
                    Framed<String> lines = Codecs.lines(tls, 1024);
                    lines.send("hello from weft");
                    String a = lines.next();
                    tls.shutdownOutput();
                    assertThat(lines.next()).as("the end, after the JDK server's close_notify").isNull();
                    return a;
                }
            });
            jdk.join(10_000);
            assertThat(answer).isEqualTo("OK hello from weft");
            assertThat(serverSaw.get()).isEqualTo("hello from weft|-1");
        }
    }

    /** The JDK's SSLSocket (host-name verification on) and a Weft server on a TcpListener. */
    @Test
    void jdkClientTalksToAWeftServer() throws Exception {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("tls").workers(2).build()) {
            rt.run(() -> {
                try (TcpListener listener = TcpListener.bind("127.0.0.1", 0)) {
                    Task<String> server = Weft.spawn(() -> {
                        try (TlsStream tls = Tls.server(listener.accept(), certs.server(), pool)) {
                            Framed<String> lines = Codecs.lines(tls, 1024);
                            String line = lines.next();
                            lines.send("OK " + line);
                            String end = lines.next();                 // null: the JDK client's close_notify
                            tls.shutdownOutput();
                            return line + "|" + end + "|" + tls.session().getProtocol();
                        }
                    });
                    int port = listener.localAddress().getPort();
                    Task<String> client = Weft.spawnBlocking(() -> {
                        try (SSLSocket s = (SSLSocket) certs.client().getSocketFactory().createSocket("localhost", port)) {
                            var params = s.getSSLParameters();
                            params.setEndpointIdentificationAlgorithm("HTTPS");
                            s.setSSLParameters(params);
                            OutputStream out = s.getOutputStream();
                            out.write("hello from the JDK\n".getBytes(UTF_8));
                            out.flush();
                            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), UTF_8));
                            String a = in.readLine();
                            s.shutdownOutput();                        // TLS 1.3 half-close: close_notify
                            return a + "|" + in.read();
                        }
                    });
                    assertThat(client.join()).isEqualTo("OK hello from the JDK|-1");
                    assertThat(server.join()).isEqualTo("hello from the JDK|null|TLSv1.3");
                }
            });
        }
    }

    // ------------------------------------------------------------------ handshake failures

    /** A server whose certificate the client does not trust: both sides hear why, and no buffer stays taken. */
    @Test
    void anUntrustedCertificateFailsTheHandshakeWithAClearError() {
        try (Runtime rt = Runtimes.currentThread("tls")) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create();
                TlsStream server = Tls.server(pipe.right(), certs.otherServer(), pool);
                Task<Throwable> serverSide = Weft.spawn(() -> catchThrowable(server::handshake));
                try (TlsStream client = Tls.client(pipe.left(), certs.client(), "localhost", pool)) {
                    assertThatThrownBy(client::handshake).isInstanceOf(SSLHandshakeException.class)
                            .hasMessageContaining("its certificate is not trusted")
                            .hasMessageContaining("Trust its certificate or its CA");
                    assertThatThrownBy(() -> client.readInto(IoBuf.allocate(8)))
                            .as("the failure sticks").isInstanceOf(SSLHandshakeException.class);
                }
                assertThat(serverSide.join()).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining("the peer refused this side's certificate");
                server.close();
            });
        }
    }

    /** The client asks for example.com and gets the certificate of localhost: refused, naming the host. */
    @Test
    void aCertificateForAnotherHostFailsTheHandshake() {
        try (Runtime rt = Runtimes.currentThread("tls")) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create();
                TlsStream server = Tls.server(pipe.right(), certs.server(), pool);
                Task<Throwable> serverSide = Weft.spawn(() -> catchThrowable(server::handshake));
                try (TlsStream client = Tls.client(pipe.left(), certs.client(), "example.com", pool)) {
                    Throwable e = catchThrowable(() -> Io.writeAll(client, text("hi")));   // the handshake runs in the first write
                    assertThat(e).isInstanceOf(SSLHandshakeException.class)
                            .hasMessageContaining("not valid for the host name example.com");
                }
                assertThat(serverSide.join()).isInstanceOf(IOException.class);
                server.close();
            });
        }
    }

    /** A pool whose buffers cannot hold a record is refused when the stream is made, saying what size is needed. */
    @Test
    void aPoolWithBuffersTooSmallForARecordIsRefused() {
        try (BufPool small = BufPool.heap(4096, 2)) {
            assertThatThrownBy(() -> Tls.client(IoPipe.create().left(), certs.client(), "localhost", small))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has buffers of 4096 bytes").hasMessageContaining("BufPool.builder(");
        }
    }

    // ------------------------------------------------------------------ broken peers

    /** A handshake, one line, then the server's side of the pipe in a tap for the test to cut. */
    record Connected(TlsStream client, Framed<String> clientLines, TlsStream server, Tap serverTap, IoPipe pipe) { }

    Connected connect() throws IOException {
        IoPipe pipe = IoPipe.create();
        Tap tap = new Tap(pipe.right());
        TlsStream server = Tls.server(tap, certs.server(), pool);
        Task<Void> handshake = Weft.spawn(server::handshake);
        TlsStream client = Tls.client(pipe.left(), certs.client(), "localhost", pool);
        Framed<String> lines = Codecs.lines(client, 1024);
        client.handshake();
        handshake.join();
        Io.writeAll(server, text("first\n"));
        server.flush();
        assertThat(lines.next()).isEqualTo("first");
        return new Connected(client, lines, server, tap, pipe);
    }

    /** The connection ends in the middle of a record: an EOFException saying so, never a clean end. */
    @Test
    void aConnectionCutMidRecordIsAnErrorNotTheEnd() {
        try (Runtime rt = Runtimes.currentThread("tls")) {
            rt.run(() -> {
                Connected c = connect();
                c.serverTap().cutAfter(10);                          // a record's header and 5 bytes of its body
                Io.writeAll(c.server(), text("this line is cut off\n"));
                c.server().flush();
                assertThatThrownBy(c.clientLines()::next).isInstanceOf(EOFException.class)
                        .hasMessageContaining("ended in the middle of a TLS record (10 bytes of it came)");
                c.client().close();
                c.server().close();
            });
        }
    }

    /** The connection ends between records but without close_notify: an SSLException about truncation. */
    @Test
    void aConnectionEndedWithoutCloseNotifyIsAnError() {
        try (Runtime rt = Runtimes.currentThread("tls")) {
            rt.run(() -> {
                Connected c = connect();
                Io.writeAll(c.server(), text("last words\n"));
                c.server().flush();
                c.pipe().right().shutdownOutput();                   // TCP's FIN, no close_notify
                assertThat(c.clientLines().next()).isEqualTo("last words");
                assertThatThrownBy(c.clientLines()::next).isInstanceOf(SSLException.class)
                        .hasMessageContaining("ended without a TLS close_notify").hasMessageContaining("truncation");
                c.client().close();
                c.server().close();
            });
        }
    }

    /** A plain-text answer instead of a ServerHello: an SSLException that shows the bytes. */
    @Test
    void plainTextInsteadOfTlsIsNamed() {
        try (Runtime rt = Runtimes.currentThread("tls")) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create();
                Io.writeAll(pipe.right(), text("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
                try (TlsStream client = Tls.client(pipe.left(), certs.client(), "localhost", pool)) {
                    assertThatThrownBy(() -> client.readInto(IoBuf.allocate(64))).isInstanceOf(SSLException.class)
                            .hasMessageContaining("are not TLS").hasMessageContaining("start with \"HTTP/1.1 200 OK\\r\\n")
                            .hasMessageContaining("plain-text protocol");
                    assertThat(pool.outstanding()).as("given back at the failure, before close()").isZero();
                }
                pipe.right().close();
            });
        }
    }

    /** Garbage after the handshake, where a record should be: an SSLException, the buffers given back. */
    @Test
    void garbageAfterTheHandshakeIsAnError() {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("tls").workers(2).build()) {
            rt.run(() -> {
                Connected c = connect();
                Io.writeAll(c.pipe().right(), text("HTTP/1.1 200 OK\r\n"));   // under the server's TLS
                Throwable e = catchThrowable(c.clientLines()::next);
                assertThat(e).isInstanceOf(SSLException.class).hasMessageContaining("are not TLS");
                c.client().close();
                c.server().close();
            });
        }
    }

    // ------------------------------------------------------------------ cancellation

    /**
     * Reads dropped mid-handshake lose nothing: the first loses a select to a timer while the
     * server has not answered yet; then, with a pipe of 97 bytes that makes every flight arrive in
     * pieces, every read races a timer of up to 0.3 ms, so many are dropped after taking bytes
     * from below. A later read completes the handshake and returns the data.
     */
    @ParameterizedTest
    @MethodSource("runtimes")
    void readsCancelledMidHandshakeLoseNothing(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create(97);
                TlsStream server = Tls.server(pipe.right(), certs.server(), pool);
                Task<Void> serverTask = Weft.spawn(() -> {
                    Weft.sleep(Duration.ofMillis(100));
                    Io.writeAll(server, text("the data after the handshake\n"));
                    server.flush();
                });
                try (TlsStream client = Tls.client(pipe.left(), certs.client(), "localhost", pool)) {
                    IoBuf buf = IoBuf.allocate(64);
                    Either<Integer, Void> first = Weft.select(client.readFuture(buf), Weft.sleepFuture(Duration.ofMillis(20)));
                    assertThat(first).isInstanceOf(Either.Second.class);
                    assertThat(client.isHandshakeDone()).isFalse();
                    int dropped = 1;
                    int n;
                    for (;;) {
                        Either<Integer, Void> r = Weft.select(client.readFuture(buf), Harness.shortSleep(300));
                        if (r instanceof Either.First<Integer, Void> got) {
                            n = got.value();
                            break;
                        }
                        dropped++;
                    }
                    assertThat(n).isPositive();
                    while (buf.position() < 29) {
                        assertThat(client.readInto(buf)).isPositive();
                    }
                    assertThat(new String(buf.flip().toByteArray(), UTF_8)).isEqualTo("the data after the handshake\n");
                    assertThat(dropped).isPositive();
                }
                serverTask.join();
                server.close();
            });
        }
    }

    /**
     * The reader and the writer both wait in the handshake; the writer, which polled the stream
     * below last, is cancelled before the server answers. The reader is not stranded: the bytes
     * that arrive wake it, it finishes the handshake and reads.
     */
    @ParameterizedTest
    @MethodSource("runtimes")
    void aReaderIsNotStrandedWhenTheWriterThatDroveTheHandshakeIsCancelled(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create();
                try (TlsStream client = Tls.client(pipe.left(), certs.client(), "localhost", pool)) {
                    IoBuf buf = IoBuf.allocate(64);
                    Task<Integer> reader = Weft.spawnFuture(client.readFuture(buf));
                    Weft.sleep(Duration.ofMillis(20));
                    Task<Integer> writer = Weft.spawnFuture(Io.writeAllFuture(client, text("never sent\n")));
                    Weft.sleep(Duration.ofMillis(20));
                    assertThat(client.isHandshakeDone()).isFalse();
                    writer.cancel();
                    assertThat(catchThrowable(writer::join)).isInstanceOf(dev.weft.CancelledException.class);
                    TlsStream server = Tls.server(pipe.right(), certs.server(), pool);
                    Io.writeAll(server, text("pong\n"));              // the server's handshake, then a record
                    server.flush();
                    assertThat(Weft.timeout(Duration.ofSeconds(10), reader::join)).as("the reader woke").isEqualTo(5);
                    assertThat(new String(buf.flip().toByteArray(), UTF_8)).isEqualTo("pong\n");
                    server.close();
                }
            });
        }
    }

    // ------------------------------------------------------------------ stacking

    /**
     * TLS over a pass-through wrapper over a pipe, on both sides, in poll code: what goes through
     * the wrapper is ciphertext (the words sent never appear in it), and the lines arrive.
     */
    @Test
    void stacksOverAnotherWrapper() {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("tls").workers(2).build()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create(1000);
                Tap clientTap = new Tap(pipe.left());
                Tap serverTap = new Tap(pipe.right());
                Task<Void> server = Weft.spawn(() -> {
                    TlsStream tls = Tls.server(serverTap, certs.server(), pool);
                    try (Framed<String> lines = Codecs.lines(tls, 1024)) {
                        for (String line; (line = lines.next()) != null; ) {
                            lines.send(line.toUpperCase());
                        }
                        tls.shutdownOutput();
                    }
                });
                TlsStream tls = Tls.client(clientTap, certs.client(), "localhost", pool);
                try (Framed<String> lines = Codecs.lines(tls, 1024)) {
                    for (String word : List.of("warp", "weft", "shuttle")) {
                        lines.send(word);
                        assertThat(lines.next()).isEqualTo(word.toUpperCase());
                    }
                    tls.shutdownOutput();
                    assertThat(lines.next()).isNull();
                }
                server.join();
                String wire = new String(clientTap.writtenBytes(), java.nio.charset.StandardCharsets.ISO_8859_1)
                        + new String(serverTap.writtenBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(wire).isNotEmpty().doesNotContain("shuttle").doesNotContain("SHUTTLE");
            });
        }
    }

    /** A failure of the stream below passes through the TLS stream as it is. */
    @Test
    void anErrorBelowPassesThrough() {
        try (Runtime rt = Runtimes.currentThread("tls")) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create();
                try (TlsStream client = Tls.client(pipe.left(), certs.client(), "localhost", pool)) {
                    pipe.right().reset();
                    Throwable e = catchThrowable(client::handshake);
                    assertThat(e).isInstanceOf(IOException.class).hasMessageContaining("reset");
                }
            });
        }
    }
}

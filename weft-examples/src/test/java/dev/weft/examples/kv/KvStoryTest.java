package dev.weft.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.io.AsyncIo;
import dev.weft.io.Compression;
import dev.weft.io.IoPipe;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import dev.weft.io.UnixListener;
import dev.weft.io.Tls;
import dev.weft.io.UnixStream;
import dev.weft.runtime.Runtimes;
import dev.weft.ui.SwingRuntime;
import dev.weft.uring.Uring;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seed 003 end to end: the key-value library ({@link KvServer}, {@link KvClient}), written once
 * against the traits, run unchanged on every runtime of the repository, over every transport
 * (TCP on NIO, TCP on io_uring where the kernel has it, a Unix socket, the in-memory pipe), with
 * and without compression, with and without TLS (and TLS over compression); and against peers
 * that are not Weft: {@code java.util.zip} over a plain {@code java.net.Socket}, and the JDK's
 * {@code SSLSocket}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KvStoryTest {

    /** The runtimes of this repository; {@code uring} asks for the io_uring driver. */
    enum Rt {
        CURRENT_THREAD, MULTI_THREAD, JDK_DEFAULT, SWING;

        Runtime open(boolean uring) {
            return switch (this) {
                case CURRENT_THREAD -> uring ? Runtimes.currentThread("kv").ioDriver("io_uring") : Runtimes.currentThread("kv");
                case MULTI_THREAD -> {
                    var b = Runtimes.multiThreadBuilder().name("kv").workers(2);
                    yield (uring ? b.ioDriver("io_uring") : b).build();
                }
                case JDK_DEFAULT -> uring ? Runtimes.jdkDefault("kv").ioDriver("io_uring") : Runtimes.jdkDefault("kv");
                case SWING -> SwingRuntime.open("kv");
            };
        }
    }

    enum Transport { PIPE, TCP_NIO, TCP_URING, UNIX }

    /** The middleware stacked under the protocol, the same on both ends; TLS over compression in the last. */
    enum Layer {
        PLAIN, DEFLATE, GZIP, TLS, TLS_OVER_DEFLATE;

        AsyncIo wrap(AsyncIo io, boolean server) {
            return switch (this) {
                case PLAIN -> io;
                case DEFLATE -> Compression.deflate(io);
                case GZIP -> Compression.gzip(io);
                case TLS -> tls(io, server);
                case TLS_OVER_DEFLATE -> tls(Compression.deflate(io), server);
            };
        }

        private static AsyncIo tls(AsyncIo io, boolean server) {
            return server ? Tls.server(io, certs.server()) : Tls.client(io, certs.client(), "localhost");
        }
    }

    /** A self-signed certificate for localhost, made once by the JDK's keytool (nothing checked in). */
    record Certs(SSLContext server, SSLContext client) {
        static Certs make(Path dir) throws Exception {
            Path file = dir.resolve("kv.p12");
            Process keytool = new ProcessBuilder(System.getProperty("java.home") + "/bin/keytool", "-genkeypair",
                    "-alias", "kv", "-keyalg", "EC", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", "kv-story")
                    .redirectErrorStream(true).start();
            String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool could not make the test certificate: " + out);
            }
            KeyStore keys = KeyStore.getInstance(file.toFile(), "kv-story".toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "kv-story".toCharArray());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("kv", keys.getCertificate("kv"));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            return new Certs(server, client);
        }
    }

    static Certs certs;

    @BeforeAll
    static void makeCertificate(@TempDir Path dir) throws Exception {
        certs = Certs.make(dir);
    }

    static List<Arguments> matrix() {
        List<Arguments> all = new ArrayList<>();
        for (Rt rt : Rt.values()) {
            for (Transport t : Transport.values()) {
                for (Layer l : Layer.values()) {
                    all.add(Arguments.of(rt, t, l));
                }
            }
        }
        return all;
    }

    /** Both ends of a connection, made on the runtime under test. */
    record Ends(AsyncIo server, AsyncIo client, AutoCloseable listener) { }

    static Ends connect(Transport transport, Path dir) throws Exception {
        return switch (transport) {
            case PIPE -> {
                IoPipe pipe = IoPipe.create();
                yield new Ends(pipe.right(), pipe.left(), () -> { });
            }
            case TCP_NIO, TCP_URING -> {
                TcpListener listener = TcpListener.bind("127.0.0.1", 0);
                TcpStream client = TcpStream.connect(listener.localAddress());
                yield new Ends(listener.accept(), client, listener);
            }
            case UNIX -> {
                UnixListener listener = UnixListener.bind(dir.resolve("kv.sock"));
                UnixStream client = UnixStream.connect(listener.localAddress());
                yield new Ends(listener.accept(), client, listener);
            }
        };
    }

    @ParameterizedTest(name = "{0} / {1} / {2}")
    @MethodSource("matrix")
    void theSameLibraryRunsOnEveryRuntimeTransportAndLayer(Rt kind, Transport transport, Layer layer) throws Exception {
        boolean uring = transport == Transport.TCP_URING;
        if (uring) {
            assumeTrue(Uring.isAvailable(), () -> "io_uring unavailable here: " + Uring.unavailabilityCause());
            assumeTrue(kind != Rt.SWING, "the Swing runtime's I/O driver is NIO only");
        }
        Path dir = Files.createTempDirectory("kv");
        try (Runtime rt = kind.open(uring)) {
            assertThat(rt.extension(Uring.class).isPresent()).as("the driver asked for").isEqualTo(uring);
            List<String> log = rt.run(() -> {
                KvStore store = new KvStore();
                Ends ends = connect(transport, dir);
                try (AutoCloseable listener = ends.listener()) {
                    AsyncIo serverSide = layer.wrap(ends.server(), true);
                    Task<Void> served = rt.spawnFuture("kv server", KvServer.serve(serverSide, store));
                    List<String> seen = new ArrayList<>();
                    try (KvClient kv = new KvClient(layer.wrap(ends.client(), false))) {
                        for (int i = 0; i < 40; i++) {
                            kv.put("key" + i, "value number " + i);
                        }
                        seen.add(kv.get("key7").orElse("?"));
                        seen.add(String.valueOf(kv.delete("key7")));
                        seen.add(kv.get("key7").orElse("gone"));
                        seen.add(String.valueOf(kv.size()));
                        seen.add(kv.call("FLY away"));
                    }
                    served.join();                                  // the server ended with the client
                    serverSide.close();
                    return seen;
                }
            });
            assertThat(log).containsExactly("value number 7", "true", "gone", "39", "ERROR unknown command 'FLY'");
        }
    }

    /** The compressed bytes are java.util.zip's: a client with no Weft in it talks to the Weft server. */
    @Test
    void aPlainJavaNetClientWithJavaUtilZipTalksToTheCompressedServer() throws Exception {
        try (Runtime rt = Rt.MULTI_THREAD.open(false)) {
            KvStore store = new KvStore();
            TcpListener listener = rt.run(() -> TcpListener.bind("127.0.0.1", 0));
            InetSocketAddress addr = listener.localAddress();
            Task<Void> server = rt.spawn(() -> {
                try (listener; TcpStream conn = listener.accept()) {
                    Weft.await(KvServer.serve(Compression.deflate(conn), store));
                }
            });
            List<String> answers = new ArrayList<>();
            try (Socket socket = new Socket(addr.getAddress(), addr.getPort())) {
                socket.setSoTimeout(10_000);                        // a lost answer fails the test, never hangs it
                DeflaterOutputStream zipped = new DeflaterOutputStream(socket.getOutputStream(), true);   // sync flush
                PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(zipped, StandardCharsets.UTF_8));
                InputStream in = null;
                for (String request : List.of("PUT loom jacquard", "GET loom", "SIZE")) {
                    out.print(request + "\n");
                    out.flush();
                    if (in == null) {
                        in = new InflaterInputStream(socket.getInputStream());
                    }
                    answers.add(readLine(in));
                }
                zipped.finish();                                    // the end of the zlib stream, then FIN
                socket.shutdownOutput();
                answers.add(in.read() == -1 ? "server ended too" : "more bytes?");
            }
            assertThat(answers).containsExactly("OK", "VALUE jacquard", "1", "server ended too");
            server.join();                                          // the client's end ended the session
        }
    }

    /** TLS is TLS: the JDK's SSLSocket, no Weft in it, talks to the Weft server, and ends with close_notify. */
    @Test
    void theJdksSslSocketTalksToTheTlsServer() throws Exception {
        try (Runtime rt = Rt.MULTI_THREAD.open(false)) {
            KvStore store = new KvStore();
            TcpListener listener = rt.run(() -> TcpListener.bind("127.0.0.1", 0));
            InetSocketAddress addr = listener.localAddress();
            Task<Void> server = rt.spawn(() -> {
                try (listener; TcpStream conn = listener.accept()) {
                    Weft.await(KvServer.serve(Tls.server(conn, certs.server()), store));
                }
            });
            List<String> answers = new ArrayList<>();
            try (SSLSocket socket = (SSLSocket) certs.client().getSocketFactory().createSocket(addr.getAddress(), addr.getPort())) {
                socket.setSoTimeout(10_000);
                var params = socket.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");       // the certificate must name 127.0.0.1
                socket.setSSLParameters(params);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                for (String request : List.of("PUT shuttle fast", "GET shuttle", "DEL shuttle", "SIZE")) {
                    out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    answers.add(readLine(in));
                }
                answers.add(socket.getSession().getProtocol());
                socket.shutdownOutput();                                  // close_notify; the server ends its side
                answers.add(in.read() == -1 ? "server ended too" : "more bytes?");
            }
            server.join();
            assertThat(answers).containsExactly("OK", "VALUE fast", "OK", "0", "TLSv1.3", "server ended too");
        }
    }

    /**
     * One line, byte by byte: an {@code InputStreamReader} would not do, as it reads ahead while
     * {@code InflaterInputStream.available()} says 1, which it says until the end of the stream.
     */
    private static String readLine(InputStream in) throws java.io.IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new java.io.EOFException("the server closed mid-line: " + line);
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}

package dev.weft.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.CancelledException;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TLS handshake's delegated tasks (certificate checks, key exchange, signatures) run on the
 * runtime's blocking pool, never on a worker: a one-worker runtime keeps running its other tasks
 * while a server's key manager sleeps in one; a reader and a writer waiting meanwhile both go on;
 * a handshake dropped or a stream closed while they run; a trust manager that refuses, and a task
 * that throws, fail the handshake clearly; outside a runtime they run inline. Every test checks
 * that the streams gave back all the pool's buffers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsDelegatedTasksTest {
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
        pool = BufPool.builder(17 * 1024, 8).name("tls-tasks-test").leakDetection(true).leakListener(leaks::add).build();
    }

    @AfterEach
    void everyBufferCameBack() {
        assertThat(pool.outstanding()).as("pool buffers still taken").isZero();
        pool.close();
        assertThat(leaks).as("leak reports").isEmpty();
    }

    static IoBuf text(String s) {
        return IoBuf.wrap(s.getBytes(UTF_8));
    }

    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    /** Waits in a task (sleeping 1 ms at a time, so a one-worker runtime runs the others) until {@code condition}. */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Weft.sleep(Duration.ofMillis(1));
        }
    }

    /** Keeps {@code v} in {@code ref} and returns it (a key manager is made inside a context's factory). */
    static <T> T keep(AtomicReference<T> ref, T v) {
        ref.set(v);
        return v;
    }

    /** {@code inner}, recording the threads that poll it. */
    static <T> Future<T> recordingPollers(Future<T> inner, Set<String> pollers) {
        return new Future<>() {
            @Override
            public Poll<T> poll(Context cx) {
                pollers.add(Thread.currentThread().getName());
                return inner.poll(cx);
            }

            @Override
            public void drop() {
                inner.drop();
            }
        };
    }

    /**
     * The JDK's key manager, whose first choice of the server's key (made in a delegated task of the
     * server's engine, on the ClientHello) sleeps {@code pauseMs}: it records its thread and the
     * ticks of {@code ticks} when it begins and ends.
     */
    static final class SlowKeyManager extends X509ExtendedKeyManager {
        final X509ExtendedKeyManager real;
        final long pauseMs;
        final IntSupplier ticks;
        final AtomicBoolean paused = new AtomicBoolean();
        volatile String thread;
        volatile int ticksAtStart = -1;
        volatile int ticksAtEnd = -1;
        volatile boolean entered;
        volatile boolean exited;

        SlowKeyManager(X509ExtendedKeyManager real, long pauseMs, IntSupplier ticks) {
            this.real = real;
            this.pauseMs = pauseMs;
            this.ticks = ticks;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            if (paused.compareAndSet(false, true)) {
                thread = Thread.currentThread().getName();
                ticksAtStart = ticks.getAsInt();
                entered = true;
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ticksAtEnd = ticks.getAsInt();
                exited = true;
            }
            return real.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return real.chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return real.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return real.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return real.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return real.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return real.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return real.getPrivateKey(alias);
        }
    }

    // ------------------------------------------------------------------ the worker stays free

    /**
     * One worker; a ticker task sleeps 1 ms in a loop; a TLS server's handshake is polled by a poll
     * task, and its key manager sleeps 200 ms in a delegated task. The sleep runs on a thread of the
     * blocking pool, not on the thread that polls the handshake, and the ticker ticks meanwhile
     * (with the tasks inline, the worker slept and the ticker stood still).
     */
    @Test
    void theWorkerRunsOtherTasksWhileTheHandshakesTasksRun() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<SlowKeyManager> km = new AtomicReference<>();
        var serverContext = certs.serverWith(real -> keep(km, new SlowKeyManager(real, 200, ticks::get)));
        Set<String> pollers = ConcurrentHashMap.newKeySet();
        try (Runtime rt = Runtimes.multiThreadBuilder().name("tls-tasks").workers(1).build()) {
            rt.run(() -> {
                Task<Void> ticker = Weft.spawn(() -> {
                    while (!stop.get()) {
                        Weft.sleep(Duration.ofMillis(1));
                        ticks.incrementAndGet();
                    }
                });
                await(() -> ticks.get() >= 5, "the ticker ticks");
                IoPipe pipe = IoPipe.create();
                try (TlsStream server = Tls.server(pipe.right(), serverContext, pool);
                     TlsStream client = Tls.client(pipe.left(), certs.client(), "localhost", pool)) {
                    Task<Void> serverHs = Weft.spawnFuture(recordingPollers(server.handshakeFuture(), pollers));
                    Task<Void> clientHs = Weft.spawnFuture(client.handshakeFuture());
                    Weft.timeout(Duration.ofSeconds(10), () -> {
                        serverHs.join();
                        return clientHs.join();
                    });
                    assertThat(server.session().getProtocol()).isEqualTo("TLSv1.3");
                } finally {
                    stop.set(true);
                }
                ticker.join();
            });
        }
        SlowKeyManager k = km.get();
        assertThat(k.exited).as("the key manager was asked").isTrue();
        assertThat(k.thread).as("the thread of the delegated task").startsWith("tls-tasks-blocking-")
                .isNotIn(pollers);
        assertThat(k.ticksAtEnd - k.ticksAtStart).as("ticks of the other task during the 200 ms in the key manager")
                .isGreaterThanOrEqualTo(20);
    }

    /**
     * A server's reader and writer both wait while the key manager sleeps in a delegated task; both
     * go on after it (the reader reads the client's line, the client reads the writer's).
     */
    @ParameterizedTest
    @MethodSource("runtimes")
    void aReaderAndAWriterWaitingForTheTasksBothGoOn(Harness.Rt kind) throws Exception {
        AtomicReference<SlowKeyManager> km = new AtomicReference<>();
        var serverContext = certs.serverWith(real -> keep(km, new SlowKeyManager(real, 100, () -> 0)));
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create();
                try (TlsStream server = Tls.server(pipe.right(), serverContext, pool);
                     TlsStream client = Tls.client(pipe.left(), certs.client(), "localhost", pool)) {
                    IoBuf got = IoBuf.allocate(64);
                    Task<Integer> reader = Weft.spawnFuture(server.readFuture(got));
                    Task<Integer> writer = Weft.spawnFuture(Io.writeAllFuture(server, text("from the server\n"))
                            .then(n -> server.flushFuture().map(v -> n)));
                    Task<Void> clientHs = Weft.spawnFuture(client.handshakeFuture());
                    await(() -> km.get().entered, "a delegated task runs");
                    assertThat(reader.isDone() || writer.isDone()).as("both wait for the handshake").isFalse();
                    Weft.timeout(Duration.ofSeconds(10), clientHs::join);
                    Io.writeAll(client, text("from the client\n"));
                    client.flush();
                    assertThat(Weft.timeout(Duration.ofSeconds(10), writer::join)).isEqualTo(16);
                    assertThat(Weft.timeout(Duration.ofSeconds(10), reader::join)).isPositive();
                    IoBuf back = IoBuf.allocate(64);
                    while (back.position() < 16) {
                        assertThat(client.readInto(back)).isPositive();
                    }
                    assertThat(new String(back.flip().toByteArray(), UTF_8)).isEqualTo("from the server\n");
                    assertThat(new String(got.flip().toByteArray(), UTF_8)).startsWith("f");
                    assertThat(km.get().thread).contains("-blocking-");
                }
            });
        }
    }

    // ------------------------------------------------------------------ dropped, closed

    /** The server's handshake task is cancelled while a delegated task runs: it runs on, and the next poll goes on. */
    @ParameterizedTest
    @MethodSource("runtimes")
    void aHandshakeCancelledWhileItsTasksRunGoesOnAtTheNextPoll(Harness.Rt kind) throws Exception {
        AtomicReference<SlowKeyManager> km = new AtomicReference<>();
        var serverContext = certs.serverWith(real -> keep(km, new SlowKeyManager(real, 100, () -> 0)));
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create();
                try (TlsStream server = Tls.server(pipe.right(), serverContext, pool);
                     TlsStream client = Tls.client(pipe.left(), certs.client(), "localhost", pool)) {
                    Task<Void> serverHs = Weft.spawnFuture(server.handshakeFuture());
                    Task<Void> clientHs = Weft.spawnFuture(client.handshakeFuture());
                    await(() -> km.get().entered, "a delegated task runs");
                    serverHs.cancel();
                    assertThat(catchThrowable(serverHs::join)).isInstanceOf(CancelledException.class);
                    await(() -> km.get().exited, "the delegated task ended");
                    assertThat(server.isHandshakeDone()).isFalse();
                    Weft.timeout(Duration.ofSeconds(10), () -> {
                        server.handshake();
                        return null;
                    });     // a new poll goes on from there
                    Weft.timeout(Duration.ofSeconds(10), clientHs::join);
                    Io.writeAll(server, text("after\n"));
                    server.flush();
                    IoBuf back = IoBuf.allocate(16);
                    while (back.position() < 6) {
                        assertThat(client.readInto(back)).isPositive();
                    }
                    assertThat(new String(back.flip().toByteArray(), UTF_8)).isEqualTo("after\n");
                }
            });
        }
    }

    /**
     * The server's stream is closed while a delegated task runs: its handshake fails at once (it
     * does not wait for the task), the buffers are back at once, and the task that ends later
     * touches none; the client hears that the connection ended.
     */
    @ParameterizedTest
    @MethodSource("runtimes")
    void closingTheStreamWhileItsTasksRunGivesTheBuffersBack(Harness.Rt kind) throws Exception {
        AtomicReference<SlowKeyManager> km = new AtomicReference<>();
        var serverContext = certs.serverWith(real -> keep(km, new SlowKeyManager(real, 500, () -> 0)));
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create();
                TlsStream server = Tls.server(pipe.right(), serverContext, pool);
                try (TlsStream client = Tls.client(pipe.left(), certs.client(), "localhost", pool)) {
                    Task<Void> serverHs = Weft.spawnFuture(server.handshakeFuture());
                    Task<Throwable> clientHs = Weft.spawn(() -> catchThrowable(client::handshake));
                    await(() -> km.get().entered, "a delegated task runs");
                    assertThat(pool.outstanding()).as("the server's and the client's buffers").isPositive();
                    server.close();
                    Throwable e = catchThrowable(() -> Weft.timeout(Duration.ofSeconds(5), serverHs::join));
                    assertThat(e).as("the handshake fails on close").isNotNull();
                    assertThat(e).hasStackTraceContaining("is closed");
                    assertThat(km.get().exited).as("without waiting for the task").isFalse();
                    assertThat(Weft.timeout(Duration.ofSeconds(10), clientHs::join)).isInstanceOf(IOException.class);
                    client.close();
                    assertThat(pool.outstanding()).as("every buffer is back, the task still running").isZero();
                    await(() -> km.get().exited, "the delegated task ended");
                    Weft.sleep(Duration.ofMillis(20));
                    assertThat(pool.outstanding()).isZero();
                }
            });
        }
    }

    // ------------------------------------------------------------------ failures

    /**
     * The client's trust manager refuses the server's certificate in a delegated task (after a
     * moment, on a pool thread): both sides fail with an SSLHandshakeException that says why.
     */
    @ParameterizedTest
    @MethodSource("runtimes")
    void aTrustManagerThatRefusesInATaskFailsBothSidesClearly(Harness.Rt kind) throws Exception {
        AtomicReference<String> thread = new AtomicReference<>();
        var clientContext = certs.clientWith(real -> new RefusingTrustManager(real, thread));
        try (Runtime rt = kind.open()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create();
                TlsStream server = Tls.server(pipe.right(), certs.server(), pool);
                Task<Throwable> serverSide = Weft.spawn(() -> catchThrowable(server::handshake));
                try (TlsStream client = Tls.client(pipe.left(), clientContext, "localhost", pool)) {
                    Throwable e = catchThrowable(client::handshake);
                    assertThat(e).isInstanceOf(SSLHandshakeException.class)
                            .hasMessageContaining("the TLS handshake with localhost failed: this side refused its "
                                    + "certificate (a trust manager of this SSLContext did)")
                            .hasMessageContaining("the test's trust manager refuses every certificate");
                    assertThat(catchThrowable(() -> client.readInto(IoBuf.allocate(8))))
                            .as("the failure sticks").isInstanceOf(SSLHandshakeException.class);
                }
                assertThat(Weft.timeout(Duration.ofSeconds(10), serverSide::join)).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining("the peer refused this side's certificate");
                server.close();
            });
        }
        assertThat(thread.get()).as("the trust manager's thread").contains("-blocking-");
    }

    /** The JDK's trust manager for the rest; checking a server's certificate on an engine sleeps 50 ms and refuses it. */
    static final class RefusingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager real;
        private final AtomicReference<String> thread;

        RefusingTrustManager(X509ExtendedTrustManager real, AtomicReference<String> thread) {
            this.real = real;
            this.thread = thread;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            thread.set(Thread.currentThread().getName());
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new CertificateException("the test's trust manager refuses every certificate");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            real.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            real.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            real.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            real.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            real.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return real.getAcceptedIssuers();
        }
    }

    /**
     * A delegated task that throws out of its {@code run()} (an engine of another provider may;
     * the JDK's keeps its errors for the next wrap): the handshake fails with an
     * SSLHandshakeException naming it, which sticks.
     */
    @Test
    void aTaskThatThrowsFailsTheHandshake() {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("tls-tasks").workers(1).build()) {
            rt.run(() -> {
                IoPipe pipe = IoPipe.create();
                SSLEngine real = certs.server().createSSLEngine();
                real.setUseClientMode(false);
                TlsStream server = Tls.wrap(pipe.right(), new ThrowingTasksEngine(real), pool);
                try (TlsStream client = Tls.client(pipe.left(), certs.client(), "localhost", pool)) {
                    Task<Throwable> clientSide = Weft.spawn(() -> catchThrowable(client::handshake));
                    Throwable e = catchThrowable(server::handshake);
                    assertThat(e).isInstanceOf(SSLHandshakeException.class)
                            .hasMessageContaining("the TLS handshake with the client failed: a delegated task of the "
                                    + "SSLEngine threw java.lang.IllegalStateException: the test's task fails")
                            .hasRootCauseMessage("the test's task fails");
                    assertThat(catchThrowable(() -> server.readInto(IoBuf.allocate(8))))
                            .as("the failure sticks").isInstanceOf(SSLHandshakeException.class);
                    server.close();
                    assertThat(Weft.timeout(Duration.ofSeconds(10), clientSide::join)).isInstanceOf(IOException.class);
                }
            });
        }
    }

    /** An engine whose delegated tasks throw instead of running; the rest is the real engine's. */
    static final class ThrowingTasksEngine extends SSLEngine {
        private final SSLEngine real;

        ThrowingTasksEngine(SSLEngine real) {
            this.real = real;
        }

        @Override
        public Runnable getDelegatedTask() {
            return real.getDelegatedTask() == null ? null : () -> {
                throw new IllegalStateException("the test's task fails");
            };
        }

        @Override public SSLEngineResult wrap(ByteBuffer[] srcs, int off, int len, ByteBuffer dst) throws SSLException { return real.wrap(srcs, off, len, dst); }
        @Override public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int off, int len) throws SSLException { return real.unwrap(src, dsts, off, len); }
        @Override public void closeInbound() throws SSLException { real.closeInbound(); }
        @Override public boolean isInboundDone() { return real.isInboundDone(); }
        @Override public void closeOutbound() { real.closeOutbound(); }
        @Override public boolean isOutboundDone() { return real.isOutboundDone(); }
        @Override public String[] getSupportedCipherSuites() { return real.getSupportedCipherSuites(); }
        @Override public String[] getEnabledCipherSuites() { return real.getEnabledCipherSuites(); }
        @Override public void setEnabledCipherSuites(String[] suites) { real.setEnabledCipherSuites(suites); }
        @Override public String[] getSupportedProtocols() { return real.getSupportedProtocols(); }
        @Override public String[] getEnabledProtocols() { return real.getEnabledProtocols(); }
        @Override public void setEnabledProtocols(String[] protocols) { real.setEnabledProtocols(protocols); }
        @Override public SSLSession getSession() { return real.getSession(); }
        @Override public void beginHandshake() throws SSLException { real.beginHandshake(); }
        @Override public SSLEngineResult.HandshakeStatus getHandshakeStatus() { return real.getHandshakeStatus(); }
        @Override public void setUseClientMode(boolean mode) { real.setUseClientMode(mode); }
        @Override public boolean getUseClientMode() { return real.getUseClientMode(); }
        @Override public void setNeedClientAuth(boolean need) { real.setNeedClientAuth(need); }
        @Override public boolean getNeedClientAuth() { return real.getNeedClientAuth(); }
        @Override public void setWantClientAuth(boolean want) { real.setWantClientAuth(want); }
        @Override public boolean getWantClientAuth() { return real.getWantClientAuth(); }
        @Override public void setEnableSessionCreation(boolean flag) { real.setEnableSessionCreation(flag); }
        @Override public boolean getEnableSessionCreation() { return real.getEnableSessionCreation(); }
        @Override public String getApplicationProtocol() { return real.getApplicationProtocol(); }
    }

    // ------------------------------------------------------------------ outside a runtime

    /** Polled by hand on a plain thread (no runtime): the tasks run inline, on that thread. */
    @Test
    void outsideARuntimeTheTasksRunInline() throws Exception {
        AtomicReference<SlowKeyManager> km = new AtomicReference<>();
        var serverContext = certs.serverWith(real -> keep(km, new SlowKeyManager(real, 1, () -> 0)));
        IoPipe pipe = IoPipe.create();
        try (TlsStream server = Tls.server(pipe.right(), serverContext, pool);
             TlsStream client = Tls.client(pipe.left(), certs.client(), "localhost", pool)) {
            Future<Void> s = server.handshakeFuture();
            Future<Void> c = client.handshakeFuture();
            Context cx = Context.noop();
            boolean sDone = false;
            boolean cDone = false;
            for (int i = 0; i < 1000 && !(sDone && cDone); i++) {
                sDone = sDone || s.poll(cx).isReady();
                cDone = cDone || c.poll(cx).isReady();
            }
            assertThat(sDone && cDone).as("both handshakes done").isTrue();
            assertThat(km.get().thread).isEqualTo(Thread.currentThread().getName());
        }
    }
}

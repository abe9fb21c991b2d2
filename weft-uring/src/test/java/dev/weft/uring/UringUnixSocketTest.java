package dev.weft.uring;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.io.BufPool;
import dev.weft.io.Codecs;
import dev.weft.io.Framed;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.ReadResult;
import dev.weft.io.RuntimeIo;
import dev.weft.io.UnixListener;
import dev.weft.io.UnixStream;
import dev.weft.io.WriteResult;
import dev.weft.runtime.Runtimes;
import dev.weft.spi.AbstractRuntime;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unix domain sockets (issue 17; seed 004, "Barbara tries unix socket") on the io_uring driver:
 * {@code UnixSocketTest}'s cases on a ring ({@code AF_UNIX} sockets connected with
 * {@code IORING_OP_CONNECT}, accepted by the listener's multishot accept), plus owned reads and
 * writes of a pool's native buffers, which the kernel receives into and sends from directly.
 * Every test first checks that its runtime's driver really is io_uring.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UringUnixSocketTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsIoUring() {
        Assumptions.assumeTrue(Uring.isAvailable(), "io_uring is unavailable here: " + Uring.unavailabilityCause());
    }

    static java.util.stream.Stream<UringRuntimes.Rt> runtimes() {
        return UringRuntimes.all("unix");
    }

    private static Runtime multi(String name) {
        return onIoUring(Runtimes.multiThreadBuilder().name(name).workers(2).ioDriver("io_uring").build());
    }

    private static Runtime current(String name) {
        return onIoUring(Runtimes.currentThread(name).ioDriver("io_uring"));
    }

    /** {@code rt}, after checking its I/O driver is io_uring (not a fallback to NIO), as the other uring tests do. */
    private static Runtime onIoUring(Runtime rt) {
        assertThat(RuntimeIo.of(rt).driverName()).isEqualTo("io_uring");
        assertThat(((AbstractRuntime) rt).driverNames()).contains("UringDriver");
        assertThat(rt.extension(Uring.class)).isPresent();
        return rt;
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aServerAndAClientExchangeLinesInSequentialCodeAndTheServerSeesTheEnd(UringRuntimes.Rt kind) {
        Path sock = dir.resolve("echo.sock");
        try (Runtime rt = onIoUring(kind.factory().get())) {
            List<String> got = rt.run(() -> {
                try (UnixListener server = UnixListener.bind(sock)) {
                    Task<Integer> serving = Weft.spawn(() -> {
                        try (UnixStream peer = server.accept()) {
                            assertThat(peer.localAddress().getPath()).isEqualTo(sock);
                            Framed<String> lines = Codecs.lines(peer, 1024);
                            int n = 0;
                            for (String line : Weft.iterate(lines)) {
                                lines.send("echo " + line);
                                n++;
                            }
                            return n;
                        }
                    });
                    List<String> replies = new ArrayList<>();
                    try (UnixStream client = UnixStream.connect(sock)) {
                        assertThat(client.toString()).as("a socket of the ring").contains("io_uring fd");
                        assertThat(client.remoteAddress().getPath()).isEqualTo(sock);
                        assertThat(client.localAddress().getPath().toString()).as("the client's end is unnamed").isEmpty();
                        Framed<String> lines = Codecs.lines(client, 1024);
                        for (int i = 0; i < 5; i++) {
                            lines.send("line " + i);
                            replies.add(lines.next());
                        }
                        client.shutdownOutput();
                    }
                    replies.add("served " + serving.join());
                    return replies;
                }
            });
            assertThat(got).containsExactly("echo line 0", "echo line 1", "echo line 2", "echo line 3", "echo line 4", "served 5");
            assertThat(Files.exists(sock)).as("the listener deleted its file").isFalse();
        }
    }

    @Test
    void aPollTaskCopiesThroughTheSameTraits() {
        Path sock = dir.resolve("poll.sock");
        try (Runtime rt = current("unix-poll")) {
            String got = rt.run(() -> {
                try (UnixListener server = UnixListener.bind(sock)) {
                    Task<Long> copy = rt.spawnFuture(server.acceptFuture().then(peer ->
                            Io.copyFuture(peer, peer).map(n -> {
                                peer.close();
                                return n;
                            })));
                    UnixStream client = Weft.await(UnixStream.connectFuture(UnixDomainSocketAddress.of(sock)));
                    Weft.await(Io.writeAllFuture(client, IoBuf.wrap("ping over a socket file".getBytes(US_ASCII))));
                    client.shutdownOutput();
                    IoBuf back = Weft.await(Io.readToEndFuture(client, 1024));
                    client.close();
                    return new String(back.toByteArray(), US_ASCII) + " / " + copy.join();
                }
            });
            assertThat(got).isEqualTo("ping over a socket file / 23");
        }
    }

    @Test
    void connectingWhereNoServerListensNamesThePathAndTheErrno() {
        Path sock = dir.resolve("nobody.sock");
        try (Runtime rt = current("unix-nobody")) {
            assertThatThrownBy(() -> rt.run(() -> UnixStream.connect(sock)))
                    .satisfies(e -> assertThat(first(e, ConnectException.class).getMessage())
                            .contains(sock.toString()).contains("No such file or directory").contains("ENOENT")
                            .contains("is its server running?"));
        }
    }

    /** A socket file nobody listens on (a server that died without deleting it): refused, then explained at bind. */
    @Test
    void aStaleSocketFileRefusesConnectionsAndItsBindIsExplained() throws IOException {
        Path sock = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(sock));        // the JDK leaves the file behind at close
        }
        assertThat(Files.exists(sock)).isTrue();
        try (Runtime rt = current("unix-stale")) {
            assertThatThrownBy(() -> rt.run(() -> UnixStream.connect(sock)))
                    .satisfies(e -> assertThat(first(e, ConnectException.class).getMessage())
                            .contains(sock.toString()).contains("Connection refused").contains("ECONNREFUSED"));
            assertThatThrownBy(() -> rt.run(() -> UnixListener.bind(sock)))
                    .satisfies(e -> {
                        Throwable bind = first(e, BindException.class);
                        assertThat(bind.getMessage()).contains(sock.toString()).contains("a file is already there")
                                .contains("delete the file");
                        assertThat(bind.getCause()).as("the driver's own error").isInstanceOf(BindException.class)
                                .hasMessageContaining("EADDRINUSE");
                    });
        }
    }

    @Test
    void closingTheListenerDeletesItsFileSoTheNextRunBindsAgain() {
        Path sock = dir.resolve("restart.sock");
        try (Runtime rt = current("unix-restart")) {
            rt.run(() -> {
                UnixListener first = UnixListener.bind(sock);
                assertThat(Files.exists(sock)).isTrue();
                assertThat(first.localAddress().getPath()).isEqualTo(sock);
                first.close();
                assertThat(Files.exists(sock)).as("the socket file is gone with its listener").isFalse();
                UnixListener again = UnixListener.bind(sock);           // binds again at once
                again.close();
                again.close();                                          // idempotent
                assertThat(Files.exists(sock)).isFalse();
                return null;
            });
        }
    }

    @Test
    void aPathTooLongForSunPathIsRefusedSayingSo() {
        Path sock = dir.resolve("s".repeat(120) + ".sock");
        try (Runtime rt = current("unix-long")) {
            assertThatThrownBy(() -> rt.run(() -> UnixListener.bind(sock)))
                    .satisfies(e -> assertThat(first(e, IOException.class).getMessage())
                            .contains(sock.toString()).contains("more than the 107 that fit in sockaddr_un's sun_path"));
            assertThatThrownBy(() -> rt.run(() -> UnixStream.connect(sock)))
                    .satisfies(e -> assertThat(first(e, ConnectException.class).getMessage())
                            .contains("more than the 107 that fit"));
            assertThat(Files.exists(sock)).isFalse();
        }
    }

    /** Barbara's hang: a read that nothing will ever satisfy is visible in the dump, with the socket's path. */
    @Test
    void aTaskStuckReadingASocketFileShowsThePathInTheTaskDump() {
        Path sock = dir.resolve("barbara.sock");
        try (Runtime rt = multi("unix-dump")) {
            String dump = rt.run(() -> {
                try (UnixListener server = UnixListener.bind(sock);
                     UnixStream client = UnixStream.connect(sock);
                     UnixStream peer = server.accept()) {
                    Task<IoBuf> stuck = rt.spawnFuture("read-to-end", Io.readToEndFuture(client, 1024));  // the server never closes
                    Weft.sleep(Duration.ofMillis(50));
                    String d = Weft.dump();
                    stuck.cancel();
                    peer.close();
                    return d;
                }
            });
            assertThat(dump).contains("read-to-end").contains("UnixStream[" + sock + "]").contains("io_uring fd");
        }
    }

    /** Owned reads and writes go to the kernel from the pool's memory: nothing copied in Java, both ways. */
    @Test
    void ownedReadsAndWritesOfADirectPoolsBuffersMoveNoByteInJava() {
        Path sock = dir.resolve("owned.sock");
        try (Runtime rt = multi("unix-owned"); BufPool pool = BufPool.direct(64 * 1024, 4)) {
            Uring uring = rt.extension(Uring.class).orElseThrow();
            rt.run(() -> {
                try (UnixListener server = UnixListener.bind(sock)) {
                    Task<UnixStream> accepted = Weft.spawn(server::accept);
                    try (UnixStream a = UnixStream.connect(sock); UnixStream b = accepted.join()) {
                        byte[] data = new byte[40_000];
                        new java.util.Random(17).nextBytes(data);
                        Uring.Stats before = uring.stats();
                        IoBuf out = pool.take();
                        out.put(data).flip();
                        WriteResult w = Weft.await(a.writeAllOwned(out));
                        assertThat(w.count()).isEqualTo(data.length);
                        byte[] got = new byte[data.length];
                        int have = 0;
                        long inPlace = w.count();
                        while (have < data.length) {                    // a stream: the bytes may come in pieces
                            ReadResult r = Weft.await(b.readOwned(pool.take()));
                            assertThat(r.eof()).isFalse();
                            r.buf().flip().get(got, have, r.count());
                            have += r.count();
                            inPlace += r.count();
                            pool.give(r.buf());
                        }
                        assertThat(got).isEqualTo(data);
                        Uring.Stats after = uring.stats();
                        assertThat(after.copiedBytes() - before.copiedBytes()).as("copied in Java").isZero();
                        assertThat(after.inPlaceBytes() - before.inPlaceBytes()).isEqualTo(inPlace);
                        pool.give(w.buf());

                        a.shutdownOutput();
                        ReadResult end = Weft.await(b.readOwned(pool.take()));
                        assertThat(end.eof()).as("the peer's shutdown, read owned").isTrue();
                        pool.give(end.buf());
                    }
                }
            });
            assertThat(pool.outstanding()).isZero();
        }
    }

    /** The first throwable of type {@code type} in {@code e}'s cause chain. */
    private static Throwable first(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + e, e);
    }
}

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

/**
 * Unix domain sockets (issue 17; seed 004, "Barbara tries unix socket") on the io_uring driver,
 * what is the ring's own: errno names in the errors, {@code sockaddr_un}'s length limit, the
 * socket's name in dumps, and owned reads and writes of a pool's native buffers that the kernel
 * receives into and sends from directly. What every driver does is weft-tck's
 * {@code UnixSocketConformanceTest}, run on io_uring there. Every test first checks that its
 * runtime's driver really is io_uring.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UringUnixSocketTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsIoUring() {
        Assumptions.assumeTrue(Uring.isAvailable(), "io_uring is unavailable here: " + Uring.unavailabilityCause());
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
    void aPathTooLongForSunPathIsRefusedSayingSo() {
        Path sock = dir.resolve("s".repeat(120) + ".sock");
        try (Runtime rt = current("unix-long")) {
            assertThatThrownBy(() -> rt.run(() -> UnixListener.bind(sock)))
                    .satisfies(e -> assertThat(first(e, IOException.class).getMessage())
                            .contains(sock.toString()).contains("more than the 107 that fit in sockaddr_un's sun_path"));
            assertThatThrownBy(() -> rt.run(() -> UnixStream.connect(sock)))
                    .satisfies(e -> assertThat(first(e, ConnectException.class).getMessage())
                            .contains("more than the 107 that fit").doesNotContain("is its server running"));
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

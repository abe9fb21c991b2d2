package dev.weft.tck;

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
import dev.weft.io.UnixListener;
import dev.weft.io.UnixStream;
import dev.weft.io.WriteResult;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite for Unix domain sockets ({@link UnixListener}, {@link UnixStream}; issue
 * 17, seed 004's "Barbara tries unix socket"), the same for every I/O driver that offers them:
 * extend it with a runtime on the driver under test, as for {@link DriverConformanceTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class UnixSocketConformanceTest {
    @TempDir
    Path dir;

    /** A fresh runtime on the driver under test; the test closes it. */
    protected abstract Runtime newRuntime();

    @Test
    void aServerAndAClientExchangeLinesInSequentialCodeAndTheServerSeesTheEnd() {
        Path sock = dir.resolve("echo.sock");
        try (Runtime rt = newRuntime()) {
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
                        assertThat(client.remoteAddress().getPath()).isEqualTo(sock);
                        assertThat(client.localAddress().getPath().toString()).as("the connecting end is unnamed").isEmpty();
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
        }
    }

    @Test
    void aPollTaskCopiesThroughTheSameTraits() {
        Path sock = dir.resolve("poll.sock");
        try (Runtime rt = newRuntime()) {
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
    void connectingWhereNoServerListensNamesThePath() {
        Path sock = dir.resolve("nobody.sock");
        try (Runtime rt = newRuntime()) {
            assertThatThrownBy(() -> rt.run(() -> UnixStream.connect(sock)))
                    .satisfies(e -> assertThat(first(e, ConnectException.class).getMessage())
                            .contains(sock.toString()).contains("No such file").contains("is its server running?"));
        }
    }

    @Test
    void closingTheListenerDeletesItsFileSoTheNextRunBindsAndAStaleFileIsExplained() throws IOException {
        Path sock = dir.resolve("restart.sock");
        try (Runtime rt = newRuntime()) {
            rt.run(() -> {
                UnixListener first = UnixListener.bind(sock);
                assertThat(Files.exists(sock)).isTrue();
                first.close();
                assertThat(Files.exists(sock)).as("the socket file is gone with its listener").isFalse();
                first.close();                                  // idempotent
                UnixListener.bind(sock).close();                 // binds again at once
                return null;
            });
            Files.createFile(sock);                             // a file left by a crashed run
            assertThatThrownBy(() -> rt.run(() -> UnixListener.bind(sock)))
                    .satisfies(e -> assertThat(first(e, BindException.class).getMessage())
                            .contains(sock.toString()).contains("a file is already there").contains("delete the file"));
        }
    }

    /** More connects than the backlog holds, while the server is slow to accept: each waits its turn, as on TCP. */
    @Test
    void connectsBeyondAFullBacklogWaitForTheServerToAccept() {
        Path sock = dir.resolve("busy.sock");
        try (Runtime rt = newRuntime()) {
            int served = rt.run(() -> {
                try (UnixListener server = UnixListener.bind(UnixDomainSocketAddress.of(sock), 1)) {
                    List<Task<String>> clients = new ArrayList<>();
                    for (int i = 0; i < 6; i++) {
                        int id = i;
                        clients.add(Weft.spawn(() -> {
                            try (UnixStream c = UnixStream.connect(sock)) {
                                Framed<String> lines = Codecs.lines(c, 64);
                                lines.send("client " + id);
                                return lines.next();
                            }
                        }));
                    }
                    Weft.sleep(Duration.ofMillis(100));           // the backlog is full; the others retry or wait
                    for (Task<String> c : clients) {
                        if (c.isDone()) {
                            c.join();                              // a connect that gave up: its error, now
                        }
                    }
                    int n = 0;
                    for (int i = 0; i < 6; i++) {
                        try (UnixStream peer = server.accept()) {
                            Framed<String> lines = Codecs.lines(peer, 64);
                            lines.send("hello " + lines.next());
                            n++;
                        }
                    }
                    for (Task<String> c : clients) {
                        assertThat(c.join()).startsWith("hello client ");
                    }
                    return n;
                }
            });
            assertThat(served).isEqualTo(6);
        }
    }

    /** A listener closed after its runtime (which closed the socket) still deletes its file. */
    @Test
    void aListenerClosedAfterItsRuntimeStillDeletesItsFile() {
        Path sock = dir.resolve("late.sock");
        UnixListener listener;
        try (Runtime rt = newRuntime()) {
            listener = rt.run(() -> UnixListener.bind(sock));
        }
        listener.close();
        assertThat(Files.exists(sock)).as("the socket file after close").isFalse();
    }

    /** Barbara's hang: a read that nothing will ever satisfy is visible in the dump, with the socket's path. */
    @Test
    void aTaskStuckReadingASocketFileShowsThePathInTheTaskDump() {
        Path sock = dir.resolve("barbara.sock");
        try (Runtime rt = newRuntime()) {
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
            assertThat(dump).contains("read-to-end").contains("UnixStream[").contains(sock.toString());
        }
    }

    /** Owned reads and writes of a direct pool's buffers: every byte arrives, every buffer comes back. */
    @Test
    void ownedReadsAndWritesOfPooledBuffersCarryEveryByte() {
        Path sock = dir.resolve("owned.sock");
        try (Runtime rt = newRuntime(); BufPool pool = BufPool.direct(64 * 1024, 4)) {
            rt.run(() -> {
                try (UnixListener server = UnixListener.bind(sock)) {
                    Task<UnixStream> accepted = Weft.spawn(server::accept);
                    try (UnixStream a = UnixStream.connect(sock); UnixStream b = accepted.join()) {
                        byte[] data = new byte[40_000];
                        new Random(17).nextBytes(data);
                        IoBuf out = pool.take();
                        out.put(data).flip();
                        WriteResult w = Weft.await(a.writeAllOwned(out));
                        assertThat(w.count()).isEqualTo(data.length);
                        pool.give(w.buf());
                        byte[] got = new byte[data.length];
                        int have = 0;
                        while (have < data.length) {                    // a stream: the bytes may come in pieces
                            ReadResult r = Weft.await(b.readOwned(pool.take()));
                            assertThat(r.eof()).isFalse();
                            r.buf().flip().get(got, have, r.count());
                            have += r.count();
                            pool.give(r.buf());
                        }
                        assertThat(got).isEqualTo(data);
                        a.shutdownOutput();
                        ReadResult end = Weft.await(b.readOwned(pool.take()));
                        assertThat(end.eof()).as("the peer's shutdown, read owned").isTrue();
                        pool.give(end.buf());
                    }
                }
                return null;
            });
            assertThat(pool.outstanding()).isZero();
        }
    }

    /** The first throwable of type {@code type} in {@code e}'s cause chain. */
    static Throwable first(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + e, e);
    }
}

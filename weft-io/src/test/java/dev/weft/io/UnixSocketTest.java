package dev.weft.io;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Unix domain sockets (issue 17; seed 004, "Barbara tries unix socket") on the NIO driver. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnixSocketTest {
    @TempDir
    Path dir;

    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aServerAndAClientExchangeLinesInSequentialCodeAndTheServerSeesTheEnd(Harness.Rt kind) {
        Path sock = dir.resolve("echo.sock");
        try (Runtime rt = kind.open()) {
            List<String> got = rt.run(() -> {
                try (UnixListener server = UnixListener.bind(sock)) {
                    Task<Integer> serving = Weft.spawn(() -> {
                        try (UnixStream peer = server.accept()) {
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
    void aPollTaskReadsAndWritesThroughTheSameTraits() {
        Path sock = dir.resolve("poll.sock");
        try (Runtime rt = Harness.runtimes().toList().get(1).open()) {
            String got = rt.run(() -> {
                try (UnixListener server = UnixListener.bind(sock)) {
                    Task<Long> copy = rt.spawnFuture(server.acceptFuture().then(peer ->
                            Io.copyFuture(peer, peer).map(n -> {
                                peer.close();
                                return n;
                            })));
                    UnixStream client = Weft.await(UnixStream.connectFuture(java.net.UnixDomainSocketAddress.of(sock)));
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
        try (Runtime rt = Harness.runtimes().toList().get(0).open()) {
            assertThatThrownBy(() -> rt.run(() -> UnixStream.connect(sock)))
                    .satisfies(e -> assertThat(first(e, java.net.ConnectException.class).getMessage())
                            .contains(sock.toString()).contains("No such file").contains("is its server running?"));
        }
    }

    @Test
    void closingTheListenerDeletesItsFileSoTheNextRunBindsAndAStaleFileIsExplained() throws IOException {
        Path sock = dir.resolve("restart.sock");
        try (Runtime rt = Harness.runtimes().toList().get(0).open()) {
            rt.run(() -> {
                UnixListener first = UnixListener.bind(sock);
                assertThat(Files.exists(sock)).isTrue();
                first.close();
                assertThat(Files.exists(sock)).as("the socket file is gone with its listener").isFalse();
                UnixListener.bind(sock).close();                 // binds again at once
                return null;
            });
            Files.createFile(sock);                             // a file left by a crashed run
            assertThatThrownBy(() -> rt.run(() -> UnixListener.bind(sock)))
                    .satisfies(e -> assertThat(first(e, BindException.class).getMessage())
                            .contains(sock.toString()).contains("a file is already there").contains("delete the file"));
        }
    }

    /** Barbara's hang: a read that nothing will ever satisfy is visible in the dump, with the socket's path. */
    @Test
    void aTaskStuckReadingASocketFileShowsThePathInTheTaskDump() {
        Path sock = dir.resolve("barbara.sock");
        try (Runtime rt = Harness.runtimes().toList().get(1).open()) {
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

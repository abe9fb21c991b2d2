package dev.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.weft.CancelledException;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cancelling a task in the middle of a file operation ends that task only: the {@link AsyncFile}
 * stays open for every other task (issue 12, faults 1 and 2). An interrupt that reaches a thread
 * inside a {@code FileChannel} call closes the channel for everybody, so these tests cancel at
 * random moments, many times, and then read the file from a fresh task.
 */
class AsyncFileCancelTest {
    private static final int ROUNDS = 60;
    private static final Duration BOUND = Duration.ofSeconds(90);

    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    private static Path bigFile(Path dir, byte[] data) throws Exception {
        new Random(12).nextBytes(data);
        return Files.write(dir.resolve("data.bin"), data);
    }

    /** A fresh task reads the first 4 KiB back: the file is still open and still reads right. */
    private static void freshTaskStillReads(AsyncFile file, byte[] data, int round) {
        byte[] got = Weft.spawn(() -> {
            IoBuf buf = IoBuf.allocate(4096);
            int n = file.readAt(buf, 0);
            assertThat(n).isEqualTo(4096);
            return buf.flip().toByteArray();
        }).join();
        assertThat(Arrays.equals(got, Arrays.copyOf(data, 4096))).as("round %d: the bytes read back", round).isTrue();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void cancellingAReadAtDoesNotCloseTheFileForOthers(Harness.Rt kind, @TempDir Path dir) throws Exception {
        byte[] data = new byte[4 << 20];
        Path path = bigFile(dir, data);
        assertTimeoutPreemptively(BOUND, () -> {
            try (Runtime rt = kind.open()) {
                rt.run(() -> {
                    Random rnd = new Random(1);
                    try (AsyncFile file = AsyncFile.open(path)) {
                        for (int round = 0; round < ROUNDS; round++) {
                            Task<Void> reader = Weft.spawn(() -> {
                                IoBuf buf = IoBuf.allocate(1 << 20);
                                for (long pos = 0; ; pos = (pos + (1 << 20)) % data.length) {
                                    file.readAt(buf.clear(), pos);
                                }
                            });
                            Weft.sleep(Duration.ofNanos(rnd.nextInt(3_000_000)));
                            reader.cancel();
                            assertThat(catchThrowable(reader::join)).as("round %d", round).isInstanceOf(CancelledException.class);
                            freshTaskStillReads(file, data, round);
                        }
                    }
                });
            }
        });
    }

    /**
     * Found by ./weft chaos: a cancelled readAt left the bytes it read in the buffer without
     * advancing its position, so the caller could not tell they were there. The bytes before the
     * position are the file's; the pool thread wrote nothing beyond it.
     */
    @ParameterizedTest
    @MethodSource("runtimes")
    void aCancelledReadAtLeavesItsBytesBeforeThePosition(Harness.Rt kind, @TempDir Path dir) throws Exception {
        byte[] data = new byte[4 << 20];
        Path path = bigFile(dir, data);
        byte sentinel = 0x5A;
        assertTimeoutPreemptively(BOUND, () -> {
            try (Runtime rt = kind.open()) {
                rt.run(() -> {
                    Random rnd = new Random(3);
                    try (AsyncFile file = AsyncFile.open(path)) {
                        for (int round = 0; round < ROUNDS; round++) {
                            IoBuf buf = IoBuf.allocate(1 << 20);
                            long at = rnd.nextInt(data.length - (1 << 20));
                            Task<Integer> reader = Weft.spawn(() -> {
                                for (;;) {
                                    buf.clear();
                                    byte[] fill = new byte[buf.capacity()];
                                    Arrays.fill(fill, sentinel);
                                    buf.put(fill);
                                    buf.clear();
                                    file.readAt(buf, at);
                                }
                            });
                            Weft.sleep(Duration.ofNanos(rnd.nextInt(3_000_000)));
                            reader.cancel();
                            assertThat(catchThrowable(reader::join)).isInstanceOf(CancelledException.class);
                            int pos = buf.position();
                            byte[] all = buf.clear().toByteArray();
                            for (int i = 0; i < pos; i++) {
                                if (all[i] != data[(int) at + i]) {
                                    throw new AssertionError("round " + round + ": byte " + i + " before the position is not the file's");
                                }
                            }
                            int matchesBeyond = 0;
                            for (int i = pos; i < Math.min(all.length, pos + 1024); i++) {
                                if (all[i] == data[(int) at + i] && all[i] != sentinel) {
                                    matchesBeyond++;
                                }
                            }
                            assertThat(matchesBeyond).as("round %d: file bytes beyond the position %d (read but not counted)", round, pos)
                                    .isLessThan(64);
                        }
                    }
                });
            }
        });
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void cancellingASizeCallDoesNotCloseTheFileForOthers(Harness.Rt kind, @TempDir Path dir) throws Exception {
        byte[] data = new byte[64 * 1024];
        Path path = bigFile(dir, data);
        assertTimeoutPreemptively(BOUND, () -> {
            try (Runtime rt = kind.open()) {
                rt.run(() -> {
                    Random rnd = new Random(2);
                    try (AsyncFile file = AsyncFile.open(path)) {
                        for (int round = 0; round < ROUNDS; round++) {
                            Task<Void> asker = Weft.spawn(() -> {
                                for (;;) {
                                    assertThat(file.size()).isEqualTo(data.length);
                                    Weft.yieldNow();
                                }
                            });
                            Weft.sleep(Duration.ofNanos(rnd.nextInt(2_000_000)));
                            asker.cancel();
                            assertThat(catchThrowable(asker::join)).as("round %d", round).isInstanceOf(CancelledException.class);
                            assertThat(Weft.spawn(file::size).join()).as("round %d: size from a fresh task", round).isEqualTo(data.length);
                            freshTaskStillReads(file, data, round);
                        }
                    }
                });
            }
        });
    }

    /**
     * A task cancelled while it sends a file to a socket ends as cancelled (not failed with
     * {@code ClosedByInterruptException}), and the file stays open for everybody else.
     */
    @ParameterizedTest
    @MethodSource("runtimes")
    void cancellingASendFileEndsAsCancelledAndKeepsTheFileOpen(Harness.Rt kind, @TempDir Path dir) throws Exception {
        byte[] data = new byte[8 << 20];
        Path path = bigFile(dir, data);
        assertTimeoutPreemptively(BOUND, () -> {
            try (Runtime rt = kind.open()) {
                rt.run(() -> {
                    Random rnd = new Random(3);
                    try (AsyncFile file = AsyncFile.open(path);
                         TcpListener listener = TcpListener.bind(new java.net.InetSocketAddress("127.0.0.1", 0))) {
                        for (int round = 0; round < ROUNDS / 2; round++) {
                            Task<TcpStream> accepted = Weft.spawn(listener::accept);
                            TcpStream client = TcpStream.connect(listener.localAddress());
                            TcpStream server = accepted.join();
                            Task<Long> drain = Weft.spawn(() -> {          // reads everything until the sender is gone
                                try (client) {
                                    IoBuf buf = IoBuf.allocate(256 * 1024);
                                    long total = 0;
                                    int n;
                                    while ((n = client.readInto(buf.clear())) != AsyncRead.EOF) {
                                        total += n;
                                    }
                                    return total;
                                } catch (java.io.IOException reset) {
                                    return -1L;
                                }
                            });
                            Task<Long> sender = Weft.spawn(() -> {
                                try (server) {
                                    long sent = 0;
                                    for (;;) {
                                        sent += server.sendFile(file, 0, data.length);
                                    }
                                }
                            });
                            Weft.sleep(Duration.ofNanos(rnd.nextInt(4_000_000)));
                            sender.cancel();
                            assertThat(catchThrowable(sender::join)).as("round %d: the cancelled sender", round)
                                    .isInstanceOf(CancelledException.class);
                            server.close();         // the sender may have been cancelled before it started
                            drain.join();
                            freshTaskStillReads(file, data, round);
                        }
                    }
                });
            }
        });
    }
}

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
}

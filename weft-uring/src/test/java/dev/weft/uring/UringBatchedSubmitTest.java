package dev.weft.uring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.io.AsyncFile;
import dev.weft.io.IoBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operations a runtime thread's tasks start in one turn go to the kernel in one
 * {@code io_uring_enter} (decision 23): 64 readers of one file, in both task styles, need far fewer
 * system calls than reads, and every read returns the bytes of its own block.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UringBatchedSubmitTest {
    static final int BLOCK = 4096;
    static final int BLOCKS = 256;
    static final int READERS = 64;
    static final int READS = 40;

    @TempDir
    static Path dir;
    static Path file;

    @BeforeAll
    static void needsIoUring() throws IOException {
        Assumptions.assumeTrue(Uring.isAvailable(), "io_uring is unavailable here: " + Uring.unavailabilityCause());
        file = dir.resolve("blocks");
        ByteBuffer all = ByteBuffer.allocate(BLOCK * BLOCKS);
        for (int b = 0; b < BLOCKS; b++) {
            for (int i = 0; i < BLOCK / 8; i++) {
                all.putLong(b * 1_000_000L + i);
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(all.flip());
        }
        assertThat(Files.size(file)).isEqualTo((long) BLOCK * BLOCKS);
    }

    static Stream<String> runtimes() {
        return Stream.of("multi-thread/poll", "multi-thread/sequential", "current-thread/poll", "current-thread/sequential");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimes")
    void readsStartedInOneTurnShareOneSystemCall(String kind) throws Exception {
        boolean poll = kind.endsWith("/poll");
        Runtime rt = UringRuntimes.all("batched").filter(r -> kind.startsWith(r.name())).findFirst().orElseThrow()
                .factory().get();
        try (rt) {
            Uring uring = rt.extension(Uring.class).orElseThrow();
            AsyncFile f = rt.run(() -> AsyncFile.open(file));
            try {
                Uring.Stats before = uring.stats();
                List<Task<Integer>> readers = new ArrayList<>();
                for (int r = 0; r < READERS; r++) {
                    SplittableRandom rnd = new SplittableRandom(r);
                    readers.add(poll ? rt.spawnFuture(pollReader(f, rnd)) : rt.spawn(() -> sequentialReader(f, rnd)));
                }
                int checked = rt.run(() -> readers.stream().mapToInt(Task::join).sum());
                Uring.Stats after = uring.stats();
                long ops = after.submitted() - before.submitted();
                long calls = after.submitCalls() - before.submitCalls();
                assertThat(checked).as("reads that returned their own block").isEqualTo(READERS * READS);
                assertThat(ops).isGreaterThanOrEqualTo((long) READERS * READS);
                assertThat(calls).as("io_uring_enter calls that submitted %d reads (one per read without batching)", ops)
                        .isLessThan(ops / 4);
            } finally {
                rt.run(f::close);
            }
        }
    }

    /** Reads {@value #READS} random blocks; returns how many held their own block's numbers. */
    private static int sequentialReader(AsyncFile f, SplittableRandom rnd) throws IOException {
        IoBuf buf = IoBuf.allocateDirect(BLOCK);
        int ok = 0;
        for (int i = 0; i < READS; i++) {
            int block = rnd.nextInt(BLOCKS);
            int n = f.readAt(buf.clear(), (long) block * BLOCK);
            ok += n == BLOCK && holds(buf, block) ? 1 : 0;
        }
        return ok;
    }

    private static Future<Integer> pollReader(AsyncFile f, SplittableRandom rnd) {
        return new Future<>() {
            private final IoBuf buf = IoBuf.allocateDirect(BLOCK);
            private Future<Integer> current;
            private int block;
            private int done;
            private int ok;

            @Override
            public Poll<Integer> poll(Context cx) {
                while (done < READS) {
                    if (current == null) {
                        block = rnd.nextInt(BLOCKS);
                        current = f.readAtFuture(buf.clear(), (long) block * BLOCK);
                    }
                    Poll<Integer> p = current.poll(cx);
                    if (p.isPending()) {
                        return Poll.pending();
                    }
                    current = null;
                    done++;
                    ok += p.value() == BLOCK && holds(buf, block) ? 1 : 0;
                }
                return Poll.ready(ok);
            }
        };
    }

    private static boolean holds(IoBuf buf, int block) {
        for (int i = 0; i < BLOCK / 8; i += 97) {
            if (buf.getLong(i * 8) != block * 1_000_000L + i) {
                return false;
            }
        }
        return true;
    }
}

package dev.weft.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link AsyncFile#readAtFuture} on the NIO driver (the blocking pool): a poll task reads a whole file. */
class AsyncFilePollTest {
    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aPollTaskReadsAWholeFileWithTheFutureForm(Harness.Rt kind, @TempDir Path dir) throws Exception {
        byte[] data = new byte[100_000];
        new Random(4).nextBytes(data);
        Path path = Files.write(dir.resolve("f.bin"), data);
        try (Runtime rt = kind.open()) {
            AsyncFile file = rt.run(() -> AsyncFile.open(path));
            IoBuf all = IoBuf.allocate(data.length + 10);
            Task<Integer> reader = rt.spawnFuture(new Future<Integer>() {
                private Future<Integer> current;

                @Override
                public Poll<Integer> poll(Context cx) {
                    for (;;) {
                        if (current == null) {
                            current = file.readAtFuture(all, all.position());
                        }
                        Poll<Integer> p = current.poll(cx);
                        if (p.isPending()) {
                            return Poll.pending();
                        }
                        current = null;
                        if (p.value() < 0) {
                            return Poll.ready(all.position());
                        }
                    }
                }
            });
            assertThat(rt.run(reader::join)).as("bytes read before the end of file").isEqualTo(data.length);
            assertThat(all.flip().toByteArray()).isEqualTo(data);
            assertThat(((dev.weft.spi.AbstractRuntime) rt).blockingPoolIfStarted()).as("NIO reads on the pool").isNotNull();
            rt.run(file::close);
        }
    }
}

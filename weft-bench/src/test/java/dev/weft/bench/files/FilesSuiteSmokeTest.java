package dev.weft.bench.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./weft bench files} in miniature (a 4 MiB file, 0.2 s per workload), so the suite cannot
 * rot: every runner prints both workloads' figure lines in the spec's form (or, for io_uring where
 * it is unavailable, nothing, having said why). Not a measurement.
 */
class FilesSuiteSmokeTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyRunnerPrintsItsFigures(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data.bin");
        FilesSuite.prepare(file, 4L << 20);
        for (String runner : FilesSuite.RUNNERS) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            FilesSuite.run(runner, file, new FilesSuite.Settings(0.1, 0.2), new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String printed = bytes.toString(StandardCharsets.UTF_8);
            System.out.print(printed);
            if (runner.startsWith("weft-uring") && !dev.weft.uring.Uring.isAvailable()) {
                assertThat(printed).isEmpty();
                continue;
            }
            for (int depth : FilesSuite.DEPTHS) {
                assertThat(printed).as(runner)
                        .containsPattern("(?m)^files qd" + depth + " " + runner + " [1-9][0-9]* ops/s$")
                        .containsPattern("(?m)^files qd" + depth + " " + runner + " [0-9]+ us$");
            }
        }
    }
}

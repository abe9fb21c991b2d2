package dev.weft.bench.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./weft bench blocking} in miniature (blockers held 60 ms, 5 short tasks), so the probe
 * cannot rot: each workload prints its figure line in the spec's form and its comment line, and
 * nothing times out. Not a measurement.
 */
class BlockingProbeSmokeTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyWorkloadPrintsAFigureOnWeft() throws Throwable {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        List<String> workloads = List.of("none", "fifo_read_spawn_blocking", "park_pinned", "cpu");
        BlockingProbe.run("weft-multi/vthread", workloads, new BlockingProbe.Settings(2, 60, 5), out);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        System.out.println("blocking probe smoke:\n" + printed);
        for (String w : workloads) {
            if (printed.contains("# blocking " + w + " weft-multi/vthread: skipped")) {
                continue;                                    // no mkfifo here: said so on a comment line
            }
            assertThat(printed).as("printed:\n%s", printed)
                    .containsPattern("(?m)^blocking " + w + " weft-multi/vthread [0-9]+\\.[0-9] us$")
                    .containsPattern("(?m)^# blocking " + w + " weft-multi/vthread: p90 .* blockers held \\[[0-9]+, [0-9]+\\] ms$");
        }
        assertThat(printed).doesNotContain("TIMED OUT");
    }
}

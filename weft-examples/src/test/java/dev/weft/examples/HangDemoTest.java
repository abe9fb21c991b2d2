package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code ./weft demo hang}: the dump fits on one screen and points at the two tasks that wait for each other. */
class HangDemoTest {

    @Test
    void theDumpPointsAtBothSidesOfTheDeadlockOnOneScreen() {
        String dump = HangDemo.run(Duration.ofMillis(500));

        assertThat(dump.lines().count()).as("one screen:\n%s", dump).isLessThanOrEqualTo(40);
        assertThat(dump).containsPattern("'inventory' sequential IDLE for [0-9.]+ (ms|s)")
                .containsPattern("'orders' sequential IDLE for [0-9.]+ (ms|s)");
        // each culprit: parked on an empty channel's recv, at its line of HangDemo
        String inventory = dump.substring(dump.indexOf("'inventory'"), dump.indexOf("'orders'"));
        assertThat(inventory).contains("parked in Weft, on recv(mpsc#").contains("[empty, 1 sender]")
                .containsPattern("at dev\\.weft\\.examples\\.HangDemo\\.lambda\\$run\\$\\d+\\(HangDemo\\.java:\\d+\\)");
        assertThat(dump).contains("HangDemo.java:" + lineOf("String paid = payments.receiver().recv();"))
                .contains("HangDemo.java:" + lineOf("String answer = stock.receiver().recv();"));
        // the healthy ones are there too, and say why they wait
        assertThat(dump).contains("'metrics' poll IDLE").contains("pending: map(sleep(10 min");
        assertThat(dump).containsPattern("scope #\\d+, opened by sequential task 'workers'");
    }

    private static int lineOf(String code) {
        try {
            var lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("src/main/java/dev/weft/examples/HangDemo.java"));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(code)) {
                    return i + 1;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no line " + code);
    }
}

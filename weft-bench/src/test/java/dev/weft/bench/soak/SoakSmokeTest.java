package dev.weft.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The soak harness for 5 s with 20 connections and a sample every second (the long run is
 * {@code ./weft soak}), so it cannot rot: echoes flow in every interval, memory stays flat, no
 * buffer leaks, no error, no fault.
 */
class SoakSmokeTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fiveSecondsOfEchoLeakNothing() throws Exception {
        SoakConfig cfg = new SoakConfig(Duration.ofSeconds(5), Duration.ofSeconds(1), 20, 64, 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        SoakRun.Report report = SoakRun.run(cfg, out);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        System.out.println("soak smoke:\n" + printed);

        assertThat(report.ok()).as("the soak passed; it printed:\n%s", printed).isTrue();
        assertThat(report.samples()).hasSize(5).allSatisfy(s -> assertThat(s.echoed()).as("echoes in interval %d", s.index())
                .isPositive());
        assertThat(report.lines()).contains("soak leaks 0 ok", "soak echo-errors 0 ok", "soak faults 0 ok", "soak result ok")
                .anyMatch(l -> l.startsWith("soak memory flat"));
    }
}

package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Decision 12's deadlock with one carrier: a sequential UI task that awaits inside a
 * {@code synchronized} block, and an event handler that takes the same monitor. The runtime's
 * watch reports it, naming the lock, the owner and the fix. In a JVM of its own: the event
 * dispatch thread stays blocked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SwingRuntimeMonitorDeadlockTest {
    @Test
    void aUiTaskThatAwaitsHoldingAMonitorTheEdtWantsIsReported() throws Exception {
        String out = probe();
        assertThat(out).as("the probe's output").contains("REPORTED: the Swing event dispatch thread is blocked on")
                .contains("held by a virtual thread").contains("do not await inside a synchronized block")
                .doesNotContain("event ran");
    }

    /**
     * A UI task holds the EDT outside Weft's waits; one that waits for the EDT (as Window.dispose
     * does off the EDT's own thread) waits for itself. The watch names the frame and the fix.
     */
    @Test
    void aUiTaskThatWaitsForTheEdtItHoldsIsReportedWithTheFix() throws Exception {
        String out = probe("invokeAndWait");
        assertThat(out).as("the probe's output")
                .contains("REPORTED: the Swing event dispatch thread has waited")
                .contains("at java.desktop/java.awt.EventQueue.invokeAndWait")
                .contains("SwingRuntime.onEventThread")
                .doesNotContain("event ran");
    }

    private static String probe(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                EdtMonitorDeadlockProbe.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}

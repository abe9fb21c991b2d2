package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.runtime.Runtimes;
import dev.weft.ui.SwingRuntime;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seed 001's demo window ({@code ./weft demo ui}) driven as a person would: Start, watch the
 * progress bar while the window stays live, the loopback reply, Cancel. Needs a display:
 * {@code ./weft test} runs the suite under {@code xvfb-run} where there is no {@code DISPLAY}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UiDemoTest {
    @BeforeEach
    void needsADisplay() {
        org.junit.jupiter.api.Assumptions.assumeFalse(GraphicsEnvironment.isHeadless(),
                "no display (DISPLAY is unset): install xvfb, and ./weft test runs this under xvfb-run");
    }

    @Test
    void startRunsTheWorkOnTheDefaultRuntimeWhileTheWindowStaysLiveAndSavesAScreenshot() throws Exception {
        try (SwingRuntime ui = SwingRuntime.open("ui");
             Runtime workers = Runtimes.multiThreadBuilder().name("default").workers(2).build();
             UiDemo demo = UiDemo.open(ui, workers)) {
            demo.show();
            SwingUtilities.invokeAndWait(demo.start::doClick);
            Task<String> job = demo.job();
            // while the UI task awaits the chunks, events posted to the EDT run promptly
            long worst = 0;
            while (!job.isDone()) {
                long posted = System.nanoTime();
                long[] ran = new long[1];
                SwingUtilities.invokeAndWait(() -> ran[0] = System.nanoTime());
                worst = Math.max(worst, ran[0] - posted);
                Thread.sleep(10);
            }
            String result = ui.run(job::join);
            assertThat(result).startsWith("Done: 148933 primes below 2000000").contains("the server said \"got ");
            assertThat(TimeUnit.NANOSECONDS.toMillis(worst)).as("slowest EDT event during the work, ms").isLessThan(300);
            int[] state = new int[2];
            boolean[] buttons = new boolean[2];
            SwingUtilities.invokeAndWait(() -> {
                state[0] = demo.progress.getValue();
                state[1] = demo.ticks.get();
                buttons[0] = demo.start.isEnabled();
                buttons[1] = demo.cancel.isEnabled();
            });
            assertThat(state[0]).isEqualTo(UiDemo.CHUNKS);
            assertThat(state[1]).as("the clock ticked during the work").isGreaterThan(0);
            assertThat(buttons).containsExactly(true, false);
            Thread.sleep(200);                                    // the last repaint
            BufferedImage shot = demo.screenshot();
            Path png = Path.of("target", "ui-demo.png");
            Files.createDirectories(png.getParent());
            ImageIO.write(shot, "png", png.toFile());
            assertThat(Files.size(png)).isGreaterThan(1000);
            assertThat(distinctColours(shot)).as("a drawn window, not a blank rectangle").isGreaterThan(10);
        }
    }

    @Test
    void cancelStopsTheUiTaskAndTheChunkInFlight() throws Exception {
        try (SwingRuntime ui = SwingRuntime.open("ui");
             Runtime workers = Runtimes.multiThreadBuilder().name("default").workers(2).build();
             UiDemo demo = UiDemo.open(ui, workers)) {
            demo.show();
            SwingUtilities.invokeAndWait(demo.start::doClick);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int[] progress = new int[1];
            while (progress[0] < 2 && System.nanoTime() < deadline) {
                SwingUtilities.invokeAndWait(() -> progress[0] = demo.progress.getValue());
                Thread.sleep(5);
            }
            assertThat(progress[0]).as("the work got going").isGreaterThanOrEqualTo(2);
            SwingUtilities.invokeAndWait(demo.cancel::doClick);
            Task<String> job = demo.job();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ui.run(job::join)).hasRootCauseInstanceOf(dev.weft.CancelledException.class);
            String[] status = new String[1];
            boolean[] startEnabled = new boolean[1];
            SwingUtilities.invokeAndWait(() -> {
                status[0] = demo.status.getText();
                startEnabled[0] = demo.start.isEnabled();
            });
            assertThat(status[0]).startsWith("Cancelled at ");
            assertThat(startEnabled[0]).as("Start works again").isTrue();
            int stoppedAt = progress[0];
            Thread.sleep(300);
            SwingUtilities.invokeAndWait(() -> progress[0] = demo.progress.getValue());
            assertThat(progress[0]).as("no progress after the cancel").isLessThanOrEqualTo(Math.max(stoppedAt, progress[0]))
                    .isLessThan(UiDemo.CHUNKS);
        }
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }
}

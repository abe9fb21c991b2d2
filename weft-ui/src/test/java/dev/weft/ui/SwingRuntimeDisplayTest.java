package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SwingRuntime with a real window (issue 16): needs a display. {@code ./weft test} runs the suite
 * under {@code xvfb-run} where there is no {@code DISPLAY} and xvfb is installed ({@code .ci/run}
 * installs it); elsewhere these tests skip and say why.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SwingRuntimeDisplayTest {
    @BeforeEach
    void needsADisplay() {
        org.junit.jupiter.api.Assumptions.assumeFalse(GraphicsEnvironment.isHeadless(),
                "no display (DISPLAY is unset): install xvfb, and ./weft test runs these under xvfb-run");
    }

    /**
     * The deadlock a real display showed: a UI task that clicks a button paints through the
     * toolkit's lock, which the EDT takes too. A task that left the EDT while queued on that lock
     * never got the EDT back. The task now holds the EDT outside Weft's waits.
     */
    @Test
    void aUiTaskDrivesAShownWindowThroughToolkitLocksAndAwaitsBetween() throws Exception {
        try (SwingRuntime ui = SwingRuntime.open("ui-window");
             Runtime workers = Runtimes.multiThreadBuilder().name("workers").workers(2).build()) {
            JFrame frame = ui.run(() -> {
                JFrame f = new JFrame("weft display test");
                f.getContentPane().add(new JLabel("waiting"));
                f.setSize(300, 120);
                f.setVisible(true);
                return f;
            });
            AtomicInteger clicks = new AtomicInteger();
            String text = ui.run(() -> {
                JButton button = new JButton("press");
                button.addActionListener(e -> clicks.incrementAndGet());
                frame.getContentPane().add(button, java.awt.BorderLayout.SOUTH);
                frame.revalidate();
                JLabel label = (JLabel) frame.getContentPane().getComponent(0);
                for (int i = 0; i < 30; i++) {
                    button.doClick(1);                                   // paints, through the toolkit's locks
                    int n = workers.spawn(() -> 1).join();               // leaves the EDT, comes back
                    label.setText("clicked " + (clicks.get() * n));
                    frame.repaint();
                }
                return label.getText();
            });
            assertThat(text).isEqualTo("clicked 30");
            SwingUtilities.invokeAndWait(frame::dispose);     // dispose waits for the EDT: not from a UI task
        }
    }

    /**
     * A modal dialog from a sequential UI task, through onEventThread: the EDT pumps the dialog's
     * events (a timer ticks while it is open), and the task gets the answer.
     */
    @Test
    void aModalDialogShownFromAUiTaskThroughOnEventThreadReturnsItsAnswer() throws Exception {
        try (SwingRuntime ui = SwingRuntime.open("ui-modal")) {
            AtomicInteger ticks = new AtomicInteger();
            Timer ticker = new Timer(20, e -> ticks.incrementAndGet());
            SwingUtilities.invokeAndWait(ticker::start);
            Task<Integer> asking = ui.spawn(() -> Weft.await(SwingRuntime.onEventThread(() ->
                    JOptionPane.showConfirmDialog(null, "Proceed?", "weft", JOptionPane.YES_NO_OPTION))));
            JDialog dialog = awaitDialog();
            int before = ticks.get();
            Thread.sleep(300);
            assertThat(ticks.get() - before).as("the EDT ticks while the modal dialog is open").isGreaterThan(3);
            SwingUtilities.invokeAndWait(() -> {
                JOptionPane pane = (JOptionPane) dialog.getContentPane().getComponent(0);
                pane.setValue(JOptionPane.YES_OPTION);              // as if "Yes" was pressed
            });
            assertThat(ui.run(asking::join)).isEqualTo(JOptionPane.YES_OPTION);
            SwingUtilities.invokeAndWait(ticker::stop);
        }
    }

    /** While a UI task awaits a slow result, events posted to the EDT run within a bound. */
    @Test
    void theEdtAnswersWithinABoundWhileAUiTaskAwaitsSlowWork() throws Exception {
        try (SwingRuntime ui = SwingRuntime.open("ui-responsive");
             Runtime workers = Runtimes.multiThreadBuilder().name("slow").workers(1).build()) {
            Task<Integer> waiting = ui.spawn(() -> workers.spawn(() -> {
                Weft.sleep(Duration.ofMillis(800));
                return 7;
            }).join());
            long worst = 0;
            for (int i = 0; i < 30; i++) {
                long posted = System.nanoTime();
                long[] ran = new long[1];
                SwingUtilities.invokeAndWait(() -> ran[0] = System.nanoTime());
                worst = Math.max(worst, ran[0] - posted);
                Thread.sleep(20);
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(worst)).as("slowest event while the UI task waited, ms").isLessThan(200);
            assertThat(ui.run(waiting::join)).isEqualTo(7);
        }
    }

    /** A screenshot of a window a UI task filled, under target/ for a person to look at. */
    @Test
    void aWindowAUiTaskFilledIsOnScreen() throws Exception {
        try (SwingRuntime ui = SwingRuntime.open("ui-shot")) {
            JFrame frame = ui.run(() -> {
                JFrame f = new JFrame("weft");
                JLabel label = new JLabel("filled by a UI task");
                label.setOpaque(true);
                label.setBackground(java.awt.Color.ORANGE);
                f.getContentPane().add(label);
                f.setBounds(40, 40, 320, 160);
                f.setVisible(true);
                Weft.sleep(Duration.ofMillis(300));             // the EDT paints meanwhile
                return f;
            });
            Rectangle[] bounds = new Rectangle[1];
            SwingUtilities.invokeAndWait(() -> bounds[0] = frame.getContentPane().getBounds());
            java.awt.Point at = new java.awt.Point(0, 0);
            SwingUtilities.invokeAndWait(() -> SwingUtilities.convertPointToScreen(at, frame.getContentPane()));
            BufferedImage shot = new Robot().createScreenCapture(new Rectangle(at.x, at.y, bounds[0].width, bounds[0].height));
            java.nio.file.Path png = java.nio.file.Path.of("target", "swing-runtime-window.png");
            javax.imageio.ImageIO.write(shot, "png", png.toFile());
            int orange = java.awt.Color.ORANGE.getRGB() & 0xffffff;
            int center = shot.getRGB(shot.getWidth() / 2, shot.getHeight() / 4) & 0xffffff;
            assertThat(Integer.toHexString(center)).as("the label's background on screen").isEqualTo(Integer.toHexString(orange));
            SwingUtilities.invokeAndWait(frame::dispose);     // dispose waits for the EDT: not from a UI task
        }
    }

    private static JDialog awaitDialog() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            JDialog[] found = new JDialog[1];
            SwingUtilities.invokeAndWait(() -> {
                for (java.awt.Window w : java.awt.Window.getWindows()) {
                    if (w instanceof JDialog d && d.isShowing()) {
                        found[0] = d;
                    }
                }
            });
            if (found[0] != null) {
                return found[0];
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no modal dialog showed in 10 s");
    }
}

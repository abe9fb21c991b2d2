package dev.weft.examples;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.io.Io;
import dev.weft.io.IoBuf;
import dev.weft.io.RuntimeIo;
import dev.weft.io.TcpListener;
import dev.weft.io.TcpStream;
import dev.weft.runtime.Runtimes;
import dev.weft.ui.SwingRuntime;
import java.awt.BorderLayout;
import java.awt.GraphicsEnvironment;
import java.awt.GridLayout;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.SwingUtilities;
import javax.swing.Timer;

/**
 * Seed 001's UI loop ({@code ./weft demo ui}): a Swing window whose Start button runs a UI task
 * on the {@link SwingRuntime}. The task hands CPU work, chunk by chunk, to the default
 * (multi-thread) runtime and awaits each chunk, moving a progress bar; then it asks a loopback
 * server for a reply over a socket that the default runtime's driver serves
 * ({@link RuntimeIo}). The UI task touches the components directly, and the window never
 * freezes: a clock label ticks all along. Cancel cancels the UI task, which cancels the chunk in
 * flight.
 *
 * <p>The heart of it, a sequential UI task:
 * {@snippet :
 * for (int i = 0; i < CHUNKS; i++) {
 *     chunk = workers.spawn(() -> countPrimes(lo, hi));   // CPU work on the default runtime
 *     primes += chunk.join();                             // the UI task parks; the EDT keeps painting
 *     progress.setValue(i + 1);                           // back on the EDT: touch components directly
 * }
 * }
 *
 * <p>Without a display, {@code ./weft demo ui} runs it under {@code xvfb-run} in {@code --auto}
 * mode: it presses Start itself, waits for the result, saves a screenshot to
 * {@code weft-examples/target/ui-demo.png}, prints what the window showed and exits.
 */
public final class UiDemo implements AutoCloseable {
    /** How many chunks the work is cut into, each a task on the default runtime. */
    public static final int CHUNKS = 20;
    private static final int LIMIT = 2_000_000;

    private final SwingRuntime ui;
    private final Runtime workers;
    private final TcpListener server;
    private final Task<Void> serving;
    final JFrame frame;
    final JProgressBar progress = new JProgressBar(0, CHUNKS);
    final JLabel status = new JLabel("Press Start: count the primes below " + LIMIT + " on the default runtime.");
    final JLabel clock = new JLabel("EDT ticks: 0");
    final JButton start = new JButton("Start");
    final JButton cancel = new JButton("Cancel");
    final AtomicInteger ticks = new AtomicInteger();
    private final Timer ticker;
    private volatile Task<String> job;

    private UiDemo(SwingRuntime ui, Runtime workers) throws IOException {
        this.ui = ui;
        this.workers = workers;
        RuntimeIo net = RuntimeIo.of(workers);
        this.server = workers.run(() -> net.bind(new InetSocketAddress("127.0.0.1", 0)));
        this.serving = workers.spawn("loopback server", this::serve);
        this.frame = ui.run(() -> {
            JFrame f = new JFrame("Weft: a UI task awaiting another runtime (seed 001)");
            f.setDefaultCloseOperation(JFrame.DISPOSE_ON_CLOSE);
            JPanel rows = new JPanel(new GridLayout(3, 1, 6, 6));
            rows.setBorder(BorderFactory.createEmptyBorder(12, 12, 12, 12));
            progress.setStringPainted(true);
            rows.add(status);
            rows.add(progress);
            rows.add(clock);
            JPanel buttons = new JPanel();
            cancel.setEnabled(false);
            start.addActionListener(e -> start());
            cancel.addActionListener(e -> cancel());
            buttons.add(start);
            buttons.add(cancel);
            f.getContentPane().add(rows, BorderLayout.CENTER);
            f.getContentPane().add(buttons, BorderLayout.SOUTH);
            f.setSize(640, 200);
            f.setLocation(20, 20);
            return f;
        });
        this.ticker = new Timer(50, e -> clock.setText("EDT ticks: " + ticks.incrementAndGet()));
        SwingUtilities.invokeLater(ticker::start);
    }

    /** The demo's window (not yet shown), its loopback server on {@code workers}. */
    public static UiDemo open(SwingRuntime ui, Runtime workers) throws IOException {
        return new UiDemo(ui, workers);
    }

    /** Shows the window. */
    public void show() {
        ui.run(() -> frame.setVisible(true));
    }

    /** What the Start button does: the work as a UI task. */
    void start() {
        job = ui.spawn("count primes", this::work);
    }

    /** What the Cancel button does. */
    void cancel() {
        Task<String> j = job;
        if (j != null) {
            j.cancel();
        }
    }

    /** The running or last job. */
    Task<String> job() {
        return job;
    }

    private String work() throws IOException {
        start.setEnabled(false);
        cancel.setEnabled(true);
        progress.setValue(0);
        Task<Long> chunk = null;
        try {
            long primes = 0;
            int step = LIMIT / CHUNKS;
            for (int i = 0; i < CHUNKS; i++) {
                int lo = i * step;
                int hi = lo + step;
                chunk = workers.spawn(() -> countPrimes(lo, hi));
                primes += chunk.join();                    // the UI task parks; the EDT keeps dispatching
                progress.setValue(i + 1);                  // on the EDT again: touch components directly
                status.setText("Counting: " + primes + " primes below " + hi);
            }
            String reply = ask("primes below " + LIMIT + ": " + primes);
            status.setText("Done: " + primes + " primes below " + LIMIT + "; the server said \"" + reply + "\"");
            return status.getText();
        } catch (CancellationException e) {
            status.setText("Cancelled at " + progress.getValue() + " of " + CHUNKS + " chunks.");
            throw e;
        } finally {
            if (chunk != null) {
                chunk.cancel();                            // a chunk in flight stops with the UI task
            }
            start.setEnabled(true);
            cancel.setEnabled(false);
        }
    }

    /** A loopback request over a socket the workers' driver serves. */
    private String ask(String line) throws IOException {
        try (TcpStream s = RuntimeIo.of(workers).connect(server.localAddress())) {
            Io.writeAll(s, IoBuf.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            s.shutdownOutput();
            IoBuf reply = Io.readToEnd(s, 4096);
            return StandardCharsets.UTF_8.decode(reply.asByteBuffer()).toString().strip();
        }
    }

    private void serve() throws IOException {
        while (true) {
            TcpStream c = server.accept();
            workers.spawn(() -> {
                try (c) {
                    IoBuf got = Io.readToEnd(c, 4096);
                    String line = StandardCharsets.UTF_8.decode(got.asByteBuffer()).toString().strip();
                    Io.writeAll(c, IoBuf.wrap(("got " + line.length() + " bytes").getBytes(StandardCharsets.UTF_8)));
                }
            });
        }
    }

    static long countPrimes(int lo, int hi) {
        long n = 0;
        for (int x = Math.max(lo, 2); x < hi; x++) {
            boolean prime = true;
            for (int d = 2; (long) d * d <= x; d++) {
                if (x % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                n++;
            }
        }
        return n;
    }

    /** A picture of the window as the screen shows it (needs a display). */
    public BufferedImage screenshot() throws Exception {
        Rectangle[] bounds = new Rectangle[1];
        SwingUtilities.invokeAndWait(() -> bounds[0] = frame.getBounds());
        return new Robot().createScreenCapture(bounds[0]);
    }

    @Override
    public void close() {
        ticker.stop();
        Task<String> j = job;
        if (j != null) {
            j.cancel();
        }
        serving.cancel();
        try {
            server.close();
        } catch (Exception e) {
            // closing anyway
        }
        SwingUtilities.invokeLater(frame::dispose);
    }

    /**
     * {@code ./weft demo ui [--auto]}: the window; with {@code --auto} (or when the launcher runs
     * it under Xvfb) it presses Start itself, saves a screenshot and exits.
     */
    public static void main(String[] args) throws Exception {
        boolean auto = args.length > 0 && args[0].equals("--auto");
        if (GraphicsEnvironment.isHeadless()) {
            System.err.println("weft demo ui: no display (DISPLAY is unset). Install xvfb (apt-get install xvfb) and run"
                    + " ./weft demo ui, which then starts it under xvfb-run, or run it where there is a display.");
            System.exit(2);
        }
        try (SwingRuntime ui = SwingRuntime.open("ui");
             Runtime workers = Runtimes.multiThreadBuilder().name("default").build();
             UiDemo demo = UiDemo.open(ui, workers)) {
            CountDownLatch closed = new CountDownLatch(1);
            ui.run(() -> demo.frame.addWindowListener(new java.awt.event.WindowAdapter() {
                @Override
                public void windowClosed(java.awt.event.WindowEvent e) {
                    closed.countDown();
                }
            }));
            demo.show();
            if (!auto) {
                System.out.println("weft demo ui: the window is open; press Start (and Cancel), close it to end.");
                closed.await();
                return;
            }
            ui.run(() -> demo.start.doClick());
            String result = ui.run(() -> {
                while (demo.job() == null) {
                    Weft.sleep(Duration.ofMillis(10));
                }
                return demo.job().join();
            });
            ui.run(() -> Weft.sleep(Duration.ofMillis(200)));       // let the last repaint land
            Path png = Path.of("weft-examples", "target", "ui-demo.png");
            Files.createDirectories(png.getParent());
            ImageIO.write(demo.screenshot(), "png", png.toFile());
            System.out.println(result);
            System.out.println("The EDT ticked " + demo.ticks.get() + " times meanwhile (every 50 ms: it never froze).");
            System.out.println("A screenshot of the window: " + png);
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }
}

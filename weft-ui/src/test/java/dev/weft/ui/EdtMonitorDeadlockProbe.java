package dev.weft.ui;

import dev.weft.Weft;
import dev.weft.spi.Faults;
import java.awt.EventQueue;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Run in a JVM of its own by {@link SwingRuntimeMonitorDeadlockTest} (the deadlock it makes
 * blocks the event dispatch thread for good): a sequential UI task sleeps inside a
 * {@code synchronized} block while an event handler takes the same monitor. Prints
 * {@code REPORTED: <message>} when the runtime reports it, or {@code NOT REPORTED}; then exits.
 * With the argument {@code invokeAndWait}, a UI task instead waits for the EDT that it holds.
 */
public final class EdtMonitorDeadlockProbe {
    private EdtMonitorDeadlockProbe() { }

    private static final Object MODEL_LOCK = new Object() {
        @Override
        public String toString() {
            return "the model's lock";
        }
    };

    public static void main(String[] args) throws Exception {
        CountDownLatch reported = new CountDownLatch(1);
        String[] message = new String[1];
        Faults.addListener(f -> {
            if (f.error().getMessage() != null && f.error().getMessage().contains("event dispatch thread")) {
                message[0] = f.error().getMessage();
                reported.countDown();
            }
        });
        SwingRuntime ui = SwingRuntime.open("deadlock");
        if (args.length > 0 && args[0].equals("invokeAndWait")) {
            // a UI task waits for the EDT it holds (what Window.dispose does off the EDT's own thread)
            ui.spawn(() -> EventQueue.invokeAndWait(() -> System.out.println("event ran")));
            boolean ok = reported.await(10, TimeUnit.SECONDS);
            System.out.println(ok ? "REPORTED: " + message[0] : "NOT REPORTED");
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
        CountDownLatch holding = new CountDownLatch(1);
        ui.spawn(() -> {
            synchronized (MODEL_LOCK) {
                holding.countDown();
                Weft.sleep(Duration.ofMillis(100));     // unmounts holding the monitor; resumes only on the EDT
            }
        });
        holding.await();
        EventQueue.invokeLater(() -> {
            synchronized (MODEL_LOCK) {                 // the EDT blocks here: the task cannot come back
                System.out.println("event ran");
            }
        });
        boolean ok = reported.await(10, TimeUnit.SECONDS);
        System.out.println(ok ? "REPORTED: " + message[0] : "NOT REPORTED");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}

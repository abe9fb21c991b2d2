package dev.weft.tck;

import dev.weft.spi.Faults;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Collects the {@link Faults} reported while it is open, for tests: a runtime must report a fault
 * (a waker, timer or driver that throws) and go on, and this is how a test sees the report.
 */
public final class FaultRecorder implements AutoCloseable {
    private final List<Faults.Fault> seen = new CopyOnWriteArrayList<>();
    private final AutoCloseable registration;

    private FaultRecorder() {
        registration = Faults.addListener(seen::add);
    }

    /** Starts recording; close it to stop. */
    public static FaultRecorder start() {
        return new FaultRecorder();
    }

    /** The first fault whose error has this message, waiting up to 5 s for it; null if none came. */
    public Faults.Fault awaitMessage(String message) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (Faults.Fault f : seen) {
                if (message.equals(f.error().getMessage())) {
                    return f;
                }
            }
            Thread.sleep(2);
        }
        return null;
    }

    /** Every fault reported since {@link #start()}. */
    public List<Faults.Fault> all() {
        return List.copyOf(seen);
    }

    @Override
    public void close() throws Exception {
        registration.close();
    }
}

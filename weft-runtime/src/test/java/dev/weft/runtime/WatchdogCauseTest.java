package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Task;
import dev.weft.runtime.BlockedWorkerReport.Cause;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog names why a worker is held ({@link BlockedWorkerReport.Cause}), the call, and the
 * fix: one test per cause, each a sequential task on a one-worker runtime with a 50 ms threshold,
 * released only after the report arrived (so the report saw it held), and joined.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WatchdogCauseTest {
    private static final Duration THRESHOLD = Duration.ofMillis(50);

    private static MultiThreadRuntime runtime(String name, BlockingQueue<BlockedWorkerReport> reports) {
        return Runtimes.multiThreadBuilder().name(name).workers(1).watchdog(THRESHOLD).onBlocked(reports::add).build();
    }

    private static String call(Optional<StackTraceElement> frame) {
        return frame.map(f -> f.getClassName() + "." + f.getMethodName()).orElse("none");
    }

    /** A read of a FIFO through java.io blocks its thread in read(2): the worker is in a blocking call. */
    @Test
    void aSequentialTaskReadingAFifoIsReportedAsABlockingCallWithTheSpawnBlockingFix(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo");
        assumeTrue(mkfifo(fifo), "mkfifo is not available on this machine, so no FIFO can be made to block a read on");
        // Open both ends first (opening a FIFO waits for its other end), so the task blocks in read, not in open.
        CompletableFuture<FileOutputStream> writer = CompletableFuture.supplyAsync(() -> {
            try {
                return new FileOutputStream(fifo.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, r -> Thread.ofPlatform().daemon().start(r));
        BlockingQueue<BlockedWorkerReport> reports = new LinkedBlockingQueue<>();
        try (FileInputStream in = new FileInputStream(fifo.toFile()); FileOutputStream out = writer.get(5, TimeUnit.SECONDS);
             var rt = runtime("fifo", reports)) {
            Task<Integer> reader = rt.spawn("fifo-reader", () -> in.read());
            BlockedWorkerReport r;
            String dump;
            try {
                r = reports.poll(5, TimeUnit.SECONDS);
                dump = dev.weft.Weft.dump();    // while it still blocks: the task carries the watchdog's lint
            } finally {
                out.write(42);                  // the read returns only now, after the report
                out.flush();
            }
            assertThat(reader.join()).as("the byte the reader was blocked on").isEqualTo(42);
            assertThat(r).as("a report within 5 s").isNotNull();
            assertThat(r.cause()).isEqualTo(Cause.BLOCKING_CALL);
            assertThat(r.taskName()).contains("fifo-reader");
            assertThat(TaskLintsTest.block(dump, "'fifo-reader'"))
                    .contains("LINT BLOCKED_CARRIER: the watchdog found it holding worker").contains("(BLOCKING_CALL)")
                    .contains("java.io.FileInputStream.read");
            assertThat(call(r.blockingFrame())).isEqualTo("java.io.FileInputStream.read");
            assertThat(r.stack()[0].isNativeMethod()).as("top frame %s is native", r.stack()[0]).isTrue();
            assertThat(call(r.taskFrame())).startsWith(WatchdogCauseTest.class.getName() + ".lambda$");
            assertThat(r.toString())
                    .contains("Cause: BLOCKING_CALL")
                    .contains("blocked in java.base/java.io.FileInputStream.read(")
                    .contains("called from " + WatchdogCauseTest.class.getName())
                    .contains("wrap it in Weft.spawnBlocking(() -> ...).join(), or use AsyncFile / Weft's TcpStream");
        }
    }

    /** Released by {@link #aWaitInAClassInitializerIsReportedAsAPinnedWait}. */
    static volatile boolean initializerReleased;

    /** A class whose initialiser parks until released: a class initialiser on the stack pins a virtual thread. */
    static final class ParksInItsInitializer {
        static {
            while (!initializerReleased) {
                LockSupport.parkNanos(5_000_000_000L);
            }
        }

        static void touch() {
        }
    }

    /**
     * A park inside a class initialiser cannot unmount the virtual thread (JDK 25 still pins for
     * class initialisers and native frames, though no longer for {@code synchronized}): the
     * carrier itself parks, and the worker is in a pinned wait.
     */
    @Test
    void aWaitInAClassInitializerIsReportedAsAPinnedWait() throws Exception {
        BlockingQueue<BlockedWorkerReport> reports = new LinkedBlockingQueue<>();
        CompletableFuture<Thread> started = new CompletableFuture<>();
        // Loaded here, not initialised: the task's run then only initialises it (a slow class load
        // inside the task could be reported first, as something else).
        Class.forName(ParksInItsInitializer.class.getName(), false, getClass().getClassLoader());
        try (var rt = runtime("pinned", reports)) {
            Task<Boolean> pinned = rt.spawn("pinned-init", () -> {
                started.complete(Thread.currentThread());
                ParksInItsInitializer.touch();
                return true;
            });
            Thread thread = started.get(5, TimeUnit.SECONDS);
            BlockedWorkerReport r;
            try {
                r = reports.poll(5, TimeUnit.SECONDS);
            } finally {
                initializerReleased = true;
                LockSupport.unpark(thread);
            }
            assertThat(pinned.join()).isTrue();
            assertThat(r).as("a report within 5 s").isNotNull();
            assertThat(r.cause()).isEqualTo(Cause.PINNED_WAIT);
            assertThat(r.taskName()).contains("pinned-init");
            assertThat(call(r.blockingFrame())).isEqualTo("java.util.concurrent.locks.LockSupport.parkNanos");
            assertThat(call(r.taskFrame())).isEqualTo(ParksInItsInitializer.class.getName() + ".<clinit>");
            assertThat(r.toString())
                    .contains("Cause: PINNED_WAIT")
                    .contains("waits in java.base/java.util.concurrent.locks.LockSupport.parkNanos(")
                    .contains("pinned by " + ParksInItsInitializer.class.getName() + ".<clinit>(")
                    .contains("the task is pinned (a native frame or class initialiser on its stack) while it waits: "
                            + "wait outside it, or move the call to Weft.spawnBlocking");
        }
    }

    /** A loop that never yields holds its worker while running: a computation. */
    @Test
    void aBusyLoopIsReportedAsAComputationWithTheYieldFix() throws Exception {
        BlockingQueue<BlockedWorkerReport> reports = new LinkedBlockingQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (var rt = runtime("busy", reports)) {
            Task<Long> spinner = rt.spawn("spinner", () -> {
                long spins = 0;
                while (!stop.get()) {
                    spins++;
                }
                return spins;
            });
            BlockedWorkerReport r;
            try {
                r = reports.poll(5, TimeUnit.SECONDS);
            } finally {
                stop.set(true);
            }
            assertThat(spinner.join()).isPositive();
            assertThat(r).as("a report within 5 s").isNotNull();
            assertThat(r.cause()).isEqualTo(Cause.COMPUTATION);
            assertThat(r.taskName()).contains("spinner");
            assertThat(r.blockingFrame()).isEmpty();
            assertThat(call(r.taskFrame())).startsWith(WatchdogCauseTest.class.getName() + ".lambda$");
            assertThat(r.toString())
                    .contains("Cause: COMPUTATION")
                    .contains("it is computing, now at " + WatchdogCauseTest.class.getName() + ".lambda$")
                    .contains("Weft.yieldNow()")
                    .contains("Weft.spawnBlocking");
        }
    }

    /** The constructor without a cause (the report's first shape) reads the cause from the stack alone. */
    @Test
    void aReportMadeWithoutACauseTakesItFromTheTopFrame() {
        StackTraceElement read = new StackTraceElement("java.base", null, null, "java.io.FileInputStream", "readBytes", null, -2);
        StackTraceElement user = new StackTraceElement("com.example.Job", "run", "Job.java", 12);
        var blocked = new BlockedWorkerReport("rt", "rt-worker-0", Duration.ofMillis(200), Optional.empty(), Optional.empty(),
                new StackTraceElement[] {read, user});
        var busy = new BlockedWorkerReport("rt", "rt-worker-0", Duration.ofMillis(200), Optional.empty(), Optional.empty(),
                new StackTraceElement[] {user});
        assertThat(blocked.cause()).isEqualTo(Cause.BLOCKING_CALL);
        assertThat(blocked.blockingFrame()).contains(read);
        assertThat(blocked.taskFrame()).contains(user);
        assertThat(busy.cause()).isEqualTo(Cause.COMPUTATION);
        assertThat(busy.taskFrame()).contains(user);
    }

    private static boolean mkfifo(Path path) throws InterruptedException {
        try {
            return new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}

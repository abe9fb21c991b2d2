package dev.weft.ffi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Future;
import dev.weft.Stream;
import dev.weft.WakeSignal;
import dev.weft.Weft;
import dev.weft.ffi.camera.Camera;
import dev.weft.ffi.camera.Frame;
import dev.weft.runtime.Runtimes;
import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The upcall waker: the C library's own thread wakes a task; late callbacks are harmless. */
class NativeWakeTest {

    /** A signal with a waker registered by hand that counts wakes and records their threads. */
    private static final class Probe {
        final WakeSignal signal;
        final AtomicInteger wakes = new AtomicInteger();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        Probe() {
            this(new WakeSignal());
        }

        Probe(WakeSignal signal) {
            this.signal = signal;
            signal.register(() -> {
                threads.add(Thread.currentThread());
                wakes.incrementAndGet();
            });
        }
    }

    @Test
    void aCallbackFromTheLibrarysOwnThreadWakesTheTask() {
        try (Camera cam = Camera.open(50); var rt = Runtimes.currentThread("upcall-test")) {
            Frame frame = rt.blockOn(Future.fromPoll(cam::tryFrame, NativeWake.upcall(cam::onFrameReady)));
            assertThat(frame.camera()).isEqualTo(cam.id());
        }
    }

    @Test
    void theCallbackRunsOnTheLibrarysOwnThread() throws InterruptedException {
        long failuresBefore = NativeWake.failures();
        Set<Thread> callers;
        Probe probe;
        try (Camera cam = Camera.open(200)) {
            probe = new Probe(NativeWake.upcall(cam::onFrameReady));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (probe.wakes.get() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            callers = Set.copyOf(probe.threads);
        }
        assertThat(probe.wakes.get()).isGreaterThanOrEqualTo(5);
        assertThat(callers).as("one foreign thread, attached to the JVM by the upcall, calls for every frame")
                .hasSize(1).doesNotContain(Thread.currentThread());
        assertThat(probe.threads).as("close calls once more, on the closing thread").contains(Thread.currentThread());
        assertThat(NativeWake.failures()).as("no failures inside the upcall").isEqualTo(failuresBefore);
    }

    @Test
    void noCallbackArrivesAfterCloseReturns() throws InterruptedException {
        Camera cam = Camera.open(1_000);
        Probe probe = new Probe(NativeWake.upcall(cam::onFrameReady));
        while (probe.wakes.get() < 10) {
            Thread.sleep(1);
        }
        cam.close();
        int atClose = probe.wakes.get();
        Thread.sleep(50);                        // 50 more frames' worth of time
        assertThat(probe.wakes.get()).as("callbacks after close").isEqualTo(atClose);
    }

    @Test
    void callbacksAfterTheTaskEndedAreHarmless() throws InterruptedException {
        long failuresBefore = NativeWake.failures();
        try (Camera cam = Camera.open(500)) {
            List<Frame> got = new ArrayList<>();
            try (var rt = Runtimes.currentThread("ends-early")) {
                rt.run(() -> {
                    for (Frame f : Weft.iterate(Stream.fromPoll(cam::tryFrame, NativeWake.upcall(cam::onFrameReady)))) {
                        got.add(f);
                        if (got.size() == 3) {
                            break;                   // the stream is left registered, its task ends
                        }
                    }
                });
            }                                        // and its runtime is closed
            Thread.sleep(60);                        // about 30 callbacks for a task that is gone
            assertThat(got).hasSize(3);
            assertThat(cam.stats().made()).isGreaterThan(got.get(2).seq() + 10);
        }
        assertThat(NativeWake.failures()).as("no callback failed").isEqualTo(failuresBefore);
    }

    @Test
    void callbacksAfterTheStreamEndedWakeNobody() throws InterruptedException {
        try (Camera cam = Camera.open(500); var rt = Runtimes.currentThread("take-3")) {
            WakeSignal signal = NativeWake.upcall(cam::onFrameReady);
            List<Frame> got = rt.blockOn(Stream.fromPoll(cam::tryFrame, signal).take(3).toList());
            assertThat(got).hasSize(3);
            assertThat(signal.toString()).as("take(3) cancelled the stream, which deregistered").doesNotContain("registered");
            Thread.sleep(20);                        // callbacks keep coming: they only set the flag
            assertThat(signal.toString()).doesNotContain("registered");
        }
    }

    @Test
    void theCameraKeepsADedicatedStubAliveThroughGarbageCollections() throws InterruptedException {
        Probe probe = new Probe();
        try (Camera cam = Camera.open(1_000)) {
            cam.onFrameReady(NativeWake.upcallStub(probe.signal), MemorySegment.NULL);   // nobody else holds the stub
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(20);
            }
            int before = probe.wakes.get();
            Thread.sleep(30);
            assertThat(probe.wakes.get()).as("the library still calls a live stub").isGreaterThan(before);
        }
    }

    @Test
    void aCallbackForACollectedSignalWakesNobodyAndItsTokenIsNotReusedForAnother() throws InterruptedException {
        long failuresBefore = NativeWake.failures();
        try (Camera cam = Camera.open(1_000)) {
            WeakReference<WakeSignal> gone = new WeakReference<>(NativeWake.upcall(cam::onFrameReady));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!gone.refersTo(null) && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(10);
            }
            assertThat(gone.refersTo(null)).as("the signal was collected while the camera still calls").isTrue();
            // New signals may take the freed slot, with a new generation: the camera's old token
            // must not wake them.
            List<Probe> strangers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                strangers.add(new Probe(NativeWake.upcall((fn, user) -> { })));
            }
            Thread.sleep(30);
            strangers.forEach(p -> assertThat(p.wakes).hasValue(0));
        }
        assertThat(NativeWake.failures()).isEqualTo(failuresBefore);
    }

    @Test
    void aFailureInsideTheCallbackIsDroppedInsteadOfCrashingTheJvm() throws InterruptedException {
        long before = NativeWake.failures();
        WakeSignal signal = new WakeSignal();
        CountDownLatch failed = new CountDownLatch(3);
        signal.register(() -> {
            failed.countDown();
            throw new IllegalStateException("a broken waker");
        });
        try (Camera cam = Camera.open(1_000)) {
            cam.onFrameReady(NativeWake.upcallStub(signal), MemorySegment.NULL);
            assertThat(failed.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(NativeWake.failures()).isGreaterThanOrEqualTo(before + 3);
    }
}

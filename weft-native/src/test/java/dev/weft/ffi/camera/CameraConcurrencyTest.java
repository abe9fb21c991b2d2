package dev.weft.ffi.camera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.WakeSignal;
import dev.weft.ffi.NativeWake;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A camera used from several threads at once, with no Java lock inside (decision 12): closes and
 * stats that meet a close in progress, and registrations racing each other.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CameraConcurrencyTest {

    @Test
    void aSecondCloseAndStatsWaitForTheCloseInProgressThenSeeItsFinalCounters() throws Exception {
        Camera cam = Camera.open(1_000);
        cam.awaitFrame(Duration.ofSeconds(5));
        AtomicReference<Thread> closer = new AtomicReference<>();
        CountDownLatch inLastCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MemorySegment stub = upcall(() -> {
            if (Thread.currentThread() == closer.get()) {        // close() calls it once more on its own thread
                inLastCall.countDown();
                await(release);
            }
        });
        cam.onFrameReady(stub, MemorySegment.NULL);

        Thread first = Thread.ofPlatform().unstarted(cam::close);
        closer.set(first);
        first.start();
        assertThat(inLastCall.await(10, TimeUnit.SECONDS)).as("the first close reached its last callback").isTrue();

        AtomicReference<CameraStats> statsDuring = new AtomicReference<>();
        Thread stats = Thread.ofPlatform().start(() -> statsDuring.set(cam.stats()));
        Thread second = Thread.ofPlatform().start(cam::close);
        Thread.sleep(200);
        assertThat(second.isAlive()).as("a second close waits for the one in progress").isTrue();
        assertThat(stats.isAlive()).as("stats() waits for the final counters").isTrue();

        release.countDown();
        for (Thread t : List.of(first, second, stats)) {
            t.join(10_000);
            assertThat(t.isAlive()).isFalse();
        }
        CameraStats end = cam.stats();
        assertThat(statsDuring.get()).isEqualTo(end);
        assertThat(end.delivered()).isPositive();
        assertThat(end.made()).isEqualTo(end.delivered() + end.dropped());
    }

    @Test
    void registrationsRacingEachOtherKeepEveryStubTheLibraryMayCallAliveAndLetGoOfReplacedOnes() throws Exception {
        int threads = 4;
        int perThread = 25;
        List<WeakReference<MemorySegment>> raced = Collections.synchronizedList(new ArrayList<>());
        try (Camera cam = Camera.open(1_000)) {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Thread> registrars = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                registrars.add(Thread.ofPlatform().start(() -> {
                    await(start);
                    for (int i = 0; i < perThread; i++) {
                        MemorySegment stub = NativeWake.upcallStub(new WakeSignal());   // held by the camera only
                        raced.add(new WeakReference<>(stub));
                        cam.onFrameReady(stub, MemorySegment.NULL);
                        if (i % 5 == 0) {
                            System.gc();              // a stub the library still calls must survive this
                        }
                    }
                }));
            }
            for (Thread t : registrars) {
                t.join();
            }
            collectGarbage(20);                       // the library calls the last one at 1,000 fps meanwhile

            AtomicInteger wakes = new AtomicInteger();
            WakeSignal last = new WakeSignal();
            last.register(wakes::incrementAndGet);
            cam.onFrameReady(NativeWake.upcallStub(last), MemorySegment.NULL);   // alone: it replaces them all
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (raced.stream().anyMatch(r -> !r.refersTo(null)) && System.nanoTime() < deadline) {
                collectGarbage(1);
            }
            assertThat(raced).as("every replaced stub was let go").allMatch(r -> r.refersTo(null));
            int before = wakes.get();
            Thread.sleep(50);
            assertThat(wakes.get()).as("the stub in use survived the collections").isGreaterThan(before);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void callback(Runnable body, MemorySegment user) {
        try {
            body.run();
        } catch (Throwable t) {                       // an exception escaping an upcall aborts the JVM
            t.printStackTrace();
        }
    }

    private static MemorySegment upcall(Runnable body) throws ReflectiveOperationException {
        MethodHandle target = MethodHandles.lookup().findStatic(CameraConcurrencyTest.class, "callback",
                MethodType.methodType(void.class, Runnable.class, MemorySegment.class));
        return Linker.nativeLinker().upcallStub(MethodHandles.insertArguments(target, 0, body), NativeWake.CALLBACK,
                Arena.ofAuto());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void collectGarbage(int rounds) throws InterruptedException {
        for (int i = 0; i < rounds; i++) {
            System.gc();
            Thread.sleep(10);
        }
    }
}

package dev.weft.bench.cameras;

import dev.weft.Backoff;
import dev.weft.PollTrigger;
import dev.weft.Stream;
import dev.weft.Weft;
import dev.weft.ffi.NativeWake;
import dev.weft.ffi.camera.Camera;
import dev.weft.ffi.camera.Frame;
import dev.weft.runtime.Runtimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** The three runners of the {@code cameras} suite: each reads every camera until it stops. */
final class CameraReaders {
    private CameraReaders() { }

    /** Reads all cameras to their end, handing each frame to the log; returns the OS threads that read. */
    interface Reader {
        Set<String> readAll(List<Camera> cameras, FrameLog log) throws InterruptedException;
    }

    static Reader forRunner(String runner) {
        return switch (runner) {
            case "threads/blocking" -> CameraReaders::threadPerCamera;
            case "weft-current/poll" -> (cameras, log) -> oneTask(cameras, log, cam -> Backoff.adaptive());
            case "weft-current/upcall" -> (cameras, log) -> oneTask(cameras, log, cam -> NativeWake.upcall(cam::onFrameReady));
            case "weft-current/upcall-future" -> (cameras, log) -> onePollTask(cameras, log);
            default -> throw new IllegalArgumentException("unknown runner '" + runner + "'; runners: " + CamerasSuite.RUNNERS
                    + ", and on request " + CamerasSuite.EXTRA_RUNNERS);
        };
    }

    /** {@code threads/blocking}: one platform thread per camera, blocked in the C wait. */
    private static Set<String> threadPerCamera(List<Camera> cameras, FrameLog log) throws InterruptedException {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Thread> readers = new ArrayList<>();
        for (Camera cam : cameras) {
            readers.add(Thread.ofPlatform().name("reader-" + cam.id()).start(() -> {
                threads.add(Thread.currentThread().getName());
                while (cam.isAvailable()) {
                    Frame f = cam.awaitFrame(Duration.ofMillis(100));
                    if (f != null) {
                        log.handle(f);
                    }
                }
            }));
        }
        for (Thread t : readers) {
            t.join();
        }
        return threads;
    }

    /** {@code weft-current/upcall-future}: the same pipeline as one poll task, a future polled by the runtime. */
    private static Set<String> onePollTask(List<Camera> cameras, FrameLog log) {
        try (var rt = Runtimes.currentThread("cameras")) {
            var feeds = cameras.stream()
                    .map(cam -> Stream.fromPoll(cam::tryFrame, cam::isAvailable, NativeWake.upcall(cam::onFrameReady)))
                    .toList();
            rt.blockOn(Stream.merge(feeds).forEach(log::handle));
        }
        return Set.of(Thread.currentThread().getName());
    }

    /** {@code weft-current/*}: the cameras merged into one stream, read by one task on one OS thread. */
    private static Set<String> oneTask(List<Camera> cameras, FrameLog log, Function<Camera, PollTrigger> trigger) {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (var rt = Runtimes.currentThread("cameras")) {
            rt.run(() -> {
                var feeds = cameras.stream()
                        .map(cam -> Stream.fromPoll(cam::tryFrame, cam::isAvailable, trigger.apply(cam)))
                        .toList();
                for (Frame f : Weft.iterate(Stream.merge(feeds))) {
                    log.handle(f);
                    if (f.seq() % 100 == 1) {                 // sample which OS thread carries the task
                        Runtimes.carrierOf(Thread.currentThread()).ifPresent(t -> threads.add(t.getName()));
                    }
                }
            });
        }
        return threads;
    }
}

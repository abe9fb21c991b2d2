package dev.weft.ffi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.weft.Backoff;
import dev.weft.Future;
import dev.weft.PollTrigger;
import dev.weft.Stream;
import dev.weft.WakeSignal;
import dev.weft.Weft;
import dev.weft.ffi.camera.Camera;
import dev.weft.ffi.camera.CameraStats;
import dev.weft.ffi.camera.Frame;
import dev.weft.runtime.Runtimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code Stream.fromPoll} and {@code Future.fromPoll} over a real C poll function, on the
 * current-thread runtime, with each kind of trigger: every frame arrives, in order, none lost.
 */
class PollHelpersTest {
    private static final int FRAMES = 30;

    /**
     * Three cameras at 100 fps, merged and read by one task; returns the frame numbers per camera.
     * The cameras are opened by the task, so a cold JVM's start-up is not counted against the
     * cameras' 80 ms of buffering.
     */
    private static Map<Integer, List<Long>> readAll(Function<Camera, PollTrigger> trigger, List<CameraStats> stats) {
        Map<Integer, List<Long>> seqs = new HashMap<>();
        try (var rt = Runtimes.currentThread("poll-helpers")) {
            rt.run(() -> {
                List<Camera> cameras = new ArrayList<>();
                try {
                    for (int i = 0; i < 3; i++) {
                        cameras.add(Camera.builder().fps(100).stopAfter(FRAMES).open());
                    }
                    var feeds = cameras.stream()
                            .map(cam -> Stream.fromPoll(cam::tryFrame, cam::isAvailable, trigger.apply(cam)))
                            .toList();
                    for (Frame f : Weft.iterate(Stream.merge(feeds))) {
                        seqs.computeIfAbsent(f.camera(), id -> new ArrayList<>()).add(f.seq());
                    }
                } finally {
                    cameras.forEach(Camera::close);
                    cameras.forEach(cam -> stats.add(cam.stats()));
                }
            });
        }
        return seqs;
    }

    private static void assertEveryFrameInOrder(Map<Integer, List<Long>> seqs, List<CameraStats> stats) {
        List<Long> expected = new ArrayList<>();
        for (long s = 1; s <= FRAMES; s++) {
            expected.add(s);
        }
        assertThat(seqs).hasSize(3);
        seqs.values().forEach(list -> assertThat(list).isEqualTo(expected));
        stats.forEach(s -> assertThat(s).isEqualTo(new CameraStats(FRAMES, FRAMES, 0)));
    }

    @Test
    void aStreamFromPollWithAnAdaptiveBackoffGetsEveryFrame() {
        List<CameraStats> stats = new ArrayList<>();
        assertEveryFrameInOrder(readAll(cam -> Backoff.adaptive(), stats), stats);
    }

    @Test
    void aStreamFromPollWithAFixedBackoffGetsEveryFrame() {
        List<CameraStats> stats = new ArrayList<>();
        assertEveryFrameInOrder(readAll(cam -> Backoff.fixed(Duration.ofMillis(2)), stats), stats);
    }

    @Test
    void aStreamFromPollWokenByTheLibrarysCallbackGetsEveryFrame() {
        List<CameraStats> stats = new ArrayList<>();
        assertEveryFrameInOrder(readAll(cam -> NativeWake.upcall(cam::onFrameReady), stats), stats);
    }

    @Test
    void aFutureFromPollWithAFixedBackoffIsReadyWithTheNextFrame() {
        try (Camera cam = Camera.open(100); var rt = Runtimes.currentThread()) {
            Frame f = rt.run(() -> Weft.await(Future.fromPoll(cam::tryFrame, Backoff.fixed(Duration.ofMillis(1)))));
            assertThat(f.seq()).isPositive();
            Frame g = rt.blockOn(Future.fromPoll(cam::tryFrame, Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(8))));
            assertThat(g.seq()).isGreaterThan(f.seq());
        }
    }

    @Test
    void futuresFromPollInARowShareOneSignalAndNeverMissAWakeFromTheCThread() {
        // Each future registers, and races with the library's thread calling the upcall; a lost
        // wake-up would hang this loop (1 ms frames, so a wait is never long otherwise).
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (Camera cam = Camera.open(1_000); var rt = Runtimes.currentThread()) {
                WakeSignal frameReady = NativeWake.upcall(cam::onFrameReady);
                long last = rt.run(() -> {
                    long previous = 0;
                    for (int i = 0; i < 500; i++) {
                        Frame f = Weft.await(Future.fromPoll(cam::tryFrame, frameReady));
                        assertThat(f.seq()).isGreaterThan(previous);
                        previous = f.seq();
                    }
                    return previous;
                });
                assertThat(last).isGreaterThanOrEqualTo(500);
            }
        });
    }

    @Test
    void unfoldOverAPollFutureNeedsNoTypePuzzle() {
        try (Camera cam = Camera.builder().fps(500).stopAfter(10).open(); var rt = Runtimes.currentThread()) {
            Stream<Frame> frames = Stream.unfold(cam, c -> Future.fromPoll(c::tryFrame, Backoff.fixed(Duration.ofMillis(1))));
            List<Frame> got = rt.blockOn(frames.take(10).toList());
            assertThat(got).extracting(Frame::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        }
    }
}

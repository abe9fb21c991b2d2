package dev.weft.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Backoff;
import dev.weft.Stream;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Examples shown in the Javadoc of {@link Stream}; each is a test. */
class StreamSnippets {

    /** A stand-in for a device that has a frame ready every few milliseconds. */
    static final class Camera {
        final int id;
        private final long start = System.nanoTime();
        private final long periodNanos;
        private int taken;
        private final int total;

        Camera(int id, int periodMs, int total) {
            this.id = id;
            this.periodNanos = periodMs * 1_000_000L;
            this.total = total;
        }

        /** Non-blocking: the next frame if one is ready, else null. */
        String tryFrame() {
            long ready = (System.nanoTime() - start) / periodNanos;
            if (taken < total && taken < ready) {
                taken++;
                return "cam" + id + "#" + taken;
            }
            return null;
        }

        boolean isAvailable() {
            return taken < total;
        }

        /** Blocking-style: waits for the next frame, or null once the camera is done. */
        String nextFrame(Duration retryAfter) {
            while (isAvailable()) {
                String f = tryFrame();
                if (f != null) {
                    return f;
                }
                Weft.sleep(retryAfter);        // the task parks; the thread serves other cameras
            }
            return null;
        }
    }

    @Test
    void cameras() {
        List<Camera> cameras = List.of(new Camera(1, 2, 10), new Camera(2, 3, 10), new Camera(3, 2, 10));
        List<String> frames = new ArrayList<>();
        try (var rt = Runtimes.currentThread()) {
            rt.run(() -> {
                // @start region="cameras"
                var feeds = cameras.stream()
                        .map(cam -> Stream.fromPoll(cam::tryFrame, cam::isAvailable, Backoff.adaptive()))
                        .toList();
                for (String frame : Weft.iterate(Stream.merge(feeds))) {   // parks while nothing is ready
                    frames.add(frame);
                }
                // @end
            });
        }
        assertThat(frames).hasSize(30).contains("cam1#10", "cam2#10", "cam3#10");
    }

    @Test
    void unfold() {
        Camera cam = new Camera(7, 2, 5);
        AtomicInteger count = new AtomicInteger();
        try (var rt = Runtimes.currentThread()) {
            rt.run(() -> {
                // @start region="unfold"
                Stream<String> frames = Stream.unfold(cam, c -> Weft.async(() -> c.nextFrame(Duration.ofMillis(1))));
                for (String frame : Weft.iterate(frames)) {      // ends when nextFrame returns null
                    count.incrementAndGet();
                }
                // @end
            });
        }
        assertThat(count).hasValue(5);
    }
}

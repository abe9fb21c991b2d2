package dev.weft.ffi.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a camera delivers: numbered, time-stamped frames, and counted losses. */
class CameraFramesTest {

    @Test
    void theLibraryIsBuiltAndLoaded() {
        assertThat(CameraLibrary.unavailabilityCause()).as("the build compiles libweftcam with gcc").isEmpty();
        assertThat(CameraLibrary.isAvailable()).isTrue();
    }

    @Test
    void theLibraryClockIsTheClockOfSystemNanoTime() {
        for (int i = 0; i < 1_000; i++) {
            long before = System.nanoTime();
            long library = CameraLibrary.nowNanos();
            long after = System.nanoTime();
            assertThat(library).as("CLOCK_MONOTONIC read between two System.nanoTime() calls").isBetween(before, after);
        }
    }

    @Test
    void framesComeInOrderNumberedFromOneWithTheirCameraAndReadyTime() {
        List<Frame> frames = new ArrayList<>();
        List<Long> receivedAt = new ArrayList<>();
        try (Camera cam = Camera.builder().fps(200).frameBytes(64).stopAfter(10).open()) {
            while (cam.isAvailable()) {
                Frame f = cam.awaitFrame(Duration.ofSeconds(5));
                if (f != null) {
                    frames.add(f);
                    receivedAt.add(System.nanoTime());
                }
            }
            assertThat(cam.stats()).isEqualTo(new CameraStats(10, 10, 0));
            for (int i = 0; i < frames.size(); i++) {
                Frame f = frames.get(i);
                assertThat(f.seq()).isEqualTo(i + 1);
                assertThat(f.camera()).isEqualTo(cam.id());
                assertThat(f.pixels()).hasSize(64);
                ByteBuffer header = ByteBuffer.wrap(f.pixels()).order(ByteOrder.LITTLE_ENDIAN);
                assertThat(header.getLong(0)).as("the pixels are the frame's own").isEqualTo(f.seq());
                assertThat(header.getInt(8)).isEqualTo(cam.id());
                assertThat(f.readyNanos()).isLessThanOrEqualTo(receivedAt.get(i));
                if (i > 0) {
                    assertThat(f.readyNanos()).isGreaterThan(frames.get(i - 1).readyNanos());
                }
            }
        }
        assertThat(frames).hasSize(10);
    }

    @Test
    void aReaderThatFallsBehindLosesTheOldestFramesAndTheLossIsCounted() throws InterruptedException {
        try (Camera cam = Camera.builder().fps(1_000).stopAfter(30).open()) {
            while (cam.stats().made() < 30) {
                Thread.sleep(5);
            }
            List<Long> seqs = new ArrayList<>();
            for (Frame f = cam.tryFrame(); f != null; f = cam.tryFrame()) {
                seqs.add(f.seq());
            }
            assertThat(seqs).as("the ring keeps the eight newest").containsExactly(23L, 24L, 25L, 26L, 27L, 28L, 29L, 30L);
            assertThat(cam.stats()).isEqualTo(new CameraStats(30, 8, 22));
            assertThat(cam.isAvailable()).as("stopped and drained").isFalse();
        }
    }

    @Test
    void tryFrameAnswersAtOnceAndAwaitFrameGivesUpAfterItsTimeout() {
        try (Camera cam = Camera.open(1)) {
            assertThat(cam.tryFrame()).isNull();
            assertThat(cam.tryBorrow()).isNull();
            assertThat(cam.awaitFrame(Duration.ofMillis(20))).isNull();
            assertThat(cam.isAvailable()).isTrue();
        }
    }

    @Test
    void camerasAtTheSameRateAreGenlocked() {
        int period = 10_000_000;
        try (Camera a = Camera.open(100); Camera b = Camera.open(100); Camera c = Camera.open(100)) {
            long ra = a.awaitFrame(Duration.ofSeconds(5)).readyNanos();
            long rb = b.awaitFrame(Duration.ofSeconds(5)).readyNanos();
            long rc = c.awaitFrame(Duration.ofSeconds(5)).readyNanos();
            for (long other : new long[] {rb, rc}) {
                long phase = Math.floorMod(other - ra, period);
                assertThat(Math.min(phase, period - phase)).as("frames of cameras at one rate are made on the same ticks")
                        .isLessThan(2_000_000L);
            }
        }
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> Camera.open(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fps");
        assertThatThrownBy(() -> Camera.builder().frameBytes(8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Camera.builder().stopAfter(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}

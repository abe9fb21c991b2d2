package dev.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ffi.camera.CameraStats;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The demo's pipeline on a short run: every frame of five cameras, on one OS thread, none lost. */
class CameraDemoTest {

    @ParameterizedTest
    @EnumSource(CameraDemo.Wakeup.class)
    void fiveCamerasAreReadCompletelyByOneTaskOnOneOsThread(CameraDemo.Wakeup wakeup) {
        long frames = 40;
        CameraDemo.Result result = CameraDemo.run(5, 100, frames, wakeup);

        assertThat(result.ids()).hasSize(5);
        for (int i = 0; i < 5; i++) {
            FrameStats.PerCamera seen = result.seen().camera(result.ids().get(i));
            assertThat(seen.frames()).as("camera %d: every frame arrived", result.ids().get(i)).isEqualTo((int) frames);
            assertThat(seen.gaps()).as("in order, none skipped").isZero();
            assertThat(result.cameras().get(i)).isEqualTo(new CameraStats(frames, frames, 0));
        }
        assertThat(result.seen().frames()).isEqualTo(5 * frames);
        assertThat(result.seen().osThreads()).as("one OS thread ran the reading task").hasSize(1);
    }
}

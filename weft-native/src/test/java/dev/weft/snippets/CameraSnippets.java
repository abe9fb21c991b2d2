package dev.weft.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Backoff;
import dev.weft.Stream;
import dev.weft.Weft;
import dev.weft.ffi.NativeWake;
import dev.weft.ffi.camera.BorrowedFrame;
import dev.weft.ffi.camera.Camera;
import dev.weft.ffi.camera.Frame;
import dev.weft.runtime.Runtimes;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Examples shown in the Javadoc of weft-native; each is a test. */
class CameraSnippets {

    @Test
    void stream() {
        List<Frame> frames = new ArrayList<>();
        try (Camera cam = Camera.builder().fps(200).stopAfter(20).open(); var rt = Runtimes.currentThread()) {
            rt.run(() -> {
                // @start region="stream"
                Stream<Frame> feed = Stream.fromPoll(cam::tryFrame, cam::isAvailable, Backoff.adaptive());
                for (Frame f : Weft.iterate(feed)) {        // copies: each frame is the caller's to keep
                    frames.add(f);
                }
                // @end
            });
        }
        assertThat(frames).hasSize(20);
    }

    @Test
    void upcall() {
        List<Frame> frames = new ArrayList<>();
        try (Camera cam = Camera.builder().fps(200).stopAfter(20).open(); var rt = Runtimes.currentThread()) {
            rt.run(() -> {
                // @start region="upcall"
                // The library calls a C function pointer on its own thread for every frame: the
                // task sleeps until then, with no timer and no empty polls.
                var feed = Stream.fromPoll(cam::tryFrame, cam::isAvailable, NativeWake.upcall(cam::onFrameReady));
                for (Frame f : Weft.iterate(feed)) {
                    frames.add(f);
                }
                // @end
            });
        }
        assertThat(frames).extracting(Frame::seq).doesNotHaveDuplicates().hasSize(20);
    }

    @Test
    void borrow() {
        try (Camera cam = Camera.open(500)) {
            byte first;
            Frame kept;
            // @start region="borrow"
            try (BorrowedFrame f = cam.awaitBorrow(Duration.ofSeconds(1))) {     // zero-copy, for this block
                first = f.pixels().get(ValueLayout.JAVA_BYTE, 0);
                kept = f.copy();                                                  // to keep it, copy it
            }                                                                     // the buffer goes back here
            // @end
            assertThat(first).isEqualTo((byte) kept.seq());
        }
    }
}

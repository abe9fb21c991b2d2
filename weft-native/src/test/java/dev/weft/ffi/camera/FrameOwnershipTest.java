package dev.weft.ffi.camera;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A frame is copied or borrowed, never both; a released frame is an error, never a crash. */
class FrameOwnershipTest {

    private static BorrowedFrame borrow(Camera cam) {
        BorrowedFrame f = cam.awaitBorrow(Duration.ofSeconds(5));
        assertThat(f).as("a frame within 5 s").isNotNull();
        return f;
    }

    @Test
    void aCopyOwnsItsPixelsAndGivesTheBufferBackAtOnce() {
        try (Camera cam = Camera.builder().fps(500).stopAfter(40).open()) {
            List<Frame> copies = new ArrayList<>();
            while (cam.isAvailable()) {
                Frame f = cam.awaitFrame(Duration.ofSeconds(5));
                if (f != null) {
                    copies.add(f);                   // kept: 40 copies from a ring of 8 buffers
                }
            }
            assertThat(copies).hasSize(40);
            assertThat(cam.stats().dropped()).as("copies never hold the camera's buffers").isZero();
            for (Frame f : copies) {
                assertThat(ByteBuffer.wrap(f.pixels()).order(ByteOrder.LITTLE_ENDIAN).getLong(0)).isEqualTo(f.seq());
            }
        }
    }

    @Test
    void aBorrowedFrameKeepsItsBufferUntilClosedSoTheCameraDropsNewFramesInstead() throws InterruptedException {
        try (Camera cam = Camera.open(1_000)) {
            List<BorrowedFrame> held = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                held.add(borrow(cam));
            }
            long droppedBefore = cam.stats().dropped();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (cam.stats().dropped() < droppedBefore + 10 && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertThat(cam.stats().dropped()).as("every buffer is borrowed: new frames are lost")
                    .isGreaterThanOrEqualTo(droppedBefore + 10);
            for (BorrowedFrame f : held) {
                assertThat(f.pixels().get(JAVA_LONG.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN).withByteAlignment(1), 0))
                        .as("a borrowed buffer is never overwritten").isEqualTo(f.seq());
                f.close();
            }
            assertThat(borrow(cam).seq()).as("after the release, frames flow again").isPositive();
        }
    }

    @Test
    void usingABorrowedFrameAfterItsScopeIsAClearErrorNotACrash() {
        try (Camera cam = Camera.open(1_000)) {
            MemorySegment kept;
            BorrowedFrame frame;
            try (BorrowedFrame f = borrow(cam)) {
                frame = f;
                kept = f.pixels();
                assertThat(kept.get(JAVA_BYTE, 0)).isEqualTo((byte) f.seq());
            }
            assertThat(frame.isReleased()).isTrue();
            assertThatThrownBy(frame::pixels).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("borrowed frame #" + frame.seq() + " of camera " + cam.id())
                    .hasMessageContaining("was released")
                    .hasMessageContaining("copy()");
            assertThatThrownBy(frame::copy).isInstanceOf(IllegalStateException.class).hasMessageContaining("copy()");
            assertThatThrownBy(() -> kept.get(JAVA_BYTE, 0)).as("a segment kept from pixels() is closed with the frame")
                    .isInstanceOf(IllegalStateException.class);
            assertThat(frame.seq()).as("the frame's number was copied and stays readable").isPositive();
        }
    }

    @Test
    void aCopyMadeInsideTheScopeOutlivesIt() {
        try (Camera cam = Camera.open(1_000)) {
            Frame copy;
            try (BorrowedFrame f = borrow(cam)) {
                copy = f.copy();
            }
            assertThat(copy.seq()).isPositive();
            assertThat(ByteBuffer.wrap(copy.pixels()).order(ByteOrder.LITTLE_ENDIAN).getLong(0)).isEqualTo(copy.seq());
        }
    }

    @Test
    void releasingTwiceIsHarmless() {
        long baseline = CameraLibrary.framesAllocated();
        try (Camera cam = Camera.open(1_000)) {
            BorrowedFrame f = borrow(cam);
            f.close();
            f.close();
            for (int i = 0; i < 20; i++) {
                try (BorrowedFrame g = borrow(cam)) {
                    assertThat(g.seq()).isGreaterThan(f.seq());
                }
            }
            assertThat(CameraLibrary.framesAllocated()).as("eight buffers, no more, no fewer").isEqualTo(baseline + 8);
        }
        assertThat(CameraLibrary.framesAllocated()).isEqualTo(baseline);
    }

    @Test
    void theBorrowedPixelsAreReadOnly() {
        try (Camera cam = Camera.open(1_000); BorrowedFrame f = borrow(cam)) {
            assertThatThrownBy(() -> f.pixels().set(JAVA_BYTE, 0, (byte) 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("read-only");
        }
    }

    @Test
    void onlyTheBorrowingThreadMayUseOrReleaseAFrame() throws InterruptedException {
        try (Camera cam = Camera.open(1_000); BorrowedFrame f = borrow(cam)) {
            AtomicReference<Throwable> read = new AtomicReference<>();
            AtomicReference<Throwable> release = new AtomicReference<>();
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    f.pixels();
                } catch (Throwable t) {
                    read.set(t);
                }
                try {
                    f.close();
                } catch (Throwable t) {
                    release.set(t);
                }
            });
            other.join();
            assertThat(read.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("another thread")
                    .hasMessageContaining("copy()");
            assertThat(release.get()).isInstanceOf(IllegalStateException.class);
            assertThat(f.isReleased()).isFalse();
            assertThat(f.copy().seq()).isEqualTo(f.seq());
        }
    }
}

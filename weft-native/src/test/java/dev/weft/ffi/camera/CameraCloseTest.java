package dev.weft.ffi.camera;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Closing a camera: what still works, what answers null, and what is freed. */
class CameraCloseTest {

    @Test
    void framesBorrowedBeforeCloseStayValidUntilReleasedThenAreFreed() {
        long baseline = CameraLibrary.framesAllocated();
        Camera cam = Camera.open(1_000);
        BorrowedFrame a = cam.awaitBorrow(Duration.ofSeconds(5));
        BorrowedFrame b = cam.awaitBorrow(Duration.ofSeconds(5));
        cam.close();
        assertThat(CameraLibrary.framesAllocated()).as("the camera freed its other buffers").isEqualTo(baseline + 2);
        assertThat(a.pixels().get(JAVA_BYTE, 0)).as("still the borrower's").isEqualTo((byte) a.seq());
        assertThat(b.copy().seq()).isEqualTo(b.seq());
        a.close();
        b.close();
        b.close();
        assertThat(CameraLibrary.framesAllocated()).as("nothing leaks").isEqualTo(baseline);
    }

    @Test
    void afterCloseTheFrameMethodsAnswerNullAndTheCountersAreFinal() {
        Camera cam = Camera.open(1_000);
        cam.awaitFrame(Duration.ofSeconds(5));
        cam.close();
        cam.close();
        assertThat(cam.isClosed()).isTrue();
        assertThat(cam.isAvailable()).isFalse();
        assertThat(cam.tryFrame()).isNull();
        assertThat(cam.tryBorrow()).isNull();
        assertThat(cam.awaitFrame(Duration.ofSeconds(1))).isNull();
        assertThat(cam.awaitBorrow(Duration.ofSeconds(1))).isNull();
        CameraStats end = cam.stats();
        assertThat(end.delivered()).isPositive();
        assertThat(end.made()).as("every frame made was delivered or counted as lost").isEqualTo(end.delivered() + end.dropped());
        assertThat(cam.stats()).isEqualTo(end);
        assertThatThrownBy(() -> cam.onFrameReady(MemorySegment.NULL, MemorySegment.NULL)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void closeWakesAThreadBlockedInAwaitFrame() throws InterruptedException {
        Camera cam = Camera.open(1);
        cam.awaitFrame(Duration.ofSeconds(5));       // the first frame; the next is a second away
        AtomicReference<Object> result = new AtomicReference<>("still waiting");
        Thread waiter = Thread.ofPlatform().start(() -> result.set(cam.awaitFrame(Duration.ofSeconds(30))));
        Thread.sleep(50);
        cam.close();
        waiter.join(5_000);
        assertThat(waiter.isAlive()).as("the wait returned when the camera closed").isFalse();
        assertThat(result.get()).isNull();
    }

    @Test
    void camerasCanBeOpenedAndClosedManyMoreTimesThanThereAreSlots() {
        Camera first = Camera.open(1_000);
        first.close();
        for (int i = 0; i < 200; i++) {
            try (Camera cam = Camera.open(1_000)) {
                assertThat(cam.id()).isGreaterThan(first.id());
            }
        }
        assertThat(first.tryFrame()).as("a stale camera is still safe to call").isNull();
        assertThat(first.stats().made()).isEqualTo(first.stats().delivered() + first.stats().dropped());
    }
}

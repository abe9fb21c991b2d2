package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.stream.PollFnStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@code fromPoll} with a backoff keeps its cadence when the timer fires late: consecutive empty
 * polls are spaced from the previous deadline, so a 1 ms step stays a 1 ms step on a timer that
 * always fires a little after its deadline.
 */
class PollFnCadenceTest {
    private static final long STEP = 20_000_000L;   // 20 ms

    /** Records deadlines; the test plays the timer by polling after each deadline. */
    private static final class RecordingTimer implements PollFnStream.Timer {
        final List<Long> deadlines = new ArrayList<>();

        @Override
        public Cancellable scheduleWake(long deadlineNanos, Waker waker) {
            deadlines.add(deadlineNanos);
            return () -> { };
        }
    }

    private static void sleepUntil(long nanoTime) {
        while (System.nanoTime() - nanoTime < 0) {
            LockSupport.parkNanos(nanoTime - System.nanoTime());
        }
    }

    @Test
    void consecutiveMissesAreSpacedFromThePreviousDeadlineNotFromALateWakeUp() {
        RecordingTimer timer = new RecordingTimer();
        Stream<String> s = new PollFnStream<>(() -> null, () -> true, misses -> STEP, timer);
        Context cx = Context.noop();

        assertThat(s.pollNext(cx).isPending()).isTrue();
        for (int i = 0; i < 3; i++) {
            long due = timer.deadlines.getLast();
            sleepUntil(due + STEP / 4);                       // the timer fires a quarter step late
            assertThat(s.pollNext(cx).isPending()).isTrue();
        }
        for (int i = 1; i < timer.deadlines.size(); i++) {
            assertThat(timer.deadlines.get(i) - timer.deadlines.get(i - 1))
                    .as("step %d: lateness is not added to the cadence", i).isEqualTo(STEP);
        }
    }

    @Test
    void aWakeUpMoreThanAStepLateStartsTheCadenceAfresh() {
        RecordingTimer timer = new RecordingTimer();
        Stream<String> s = new PollFnStream<>(() -> null, () -> true, misses -> STEP, timer);
        Context cx = Context.noop();
        assertThat(s.pollNext(cx).isPending()).isTrue();
        long due = timer.deadlines.getLast();
        sleepUntil(due + 2 * STEP);                           // a long stall: no burst of catch-up polls
        long before = System.nanoTime();
        assertThat(s.pollNext(cx).isPending()).isTrue();
        assertThat(timer.deadlines.getLast()).isGreaterThanOrEqualTo(before + STEP);
    }

    @Test
    void theFirstMissAfterAnItemWaitsFromNow() {
        RecordingTimer timer = new RecordingTimer();
        String[] next = {null};
        Stream<String> s = new PollFnStream<>(() -> {
            String item = next[0];
            next[0] = null;
            return item;
        }, () -> true, misses -> STEP, timer);
        Context cx = Context.noop();
        assertThat(s.pollNext(cx).isPending()).isTrue();
        sleepUntil(timer.deadlines.getLast() + STEP / 2);
        next[0] = "frame";
        assertThat(s.pollNext(cx).value()).isEqualTo("frame");
        long before = System.nanoTime();
        assertThat(s.pollNext(cx).isPending()).isTrue();
        assertThat(timer.deadlines.getLast()).isGreaterThanOrEqualTo(before + STEP);
    }
}

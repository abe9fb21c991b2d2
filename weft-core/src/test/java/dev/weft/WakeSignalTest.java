package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code fromPoll} with a {@link WakeSignal}, polled by hand: when the poller is woken, and when not. */
class WakeSignalTest {
    private final AtomicInteger wakes = new AtomicInteger();
    private final Context cx = new Context(wakes::incrementAndGet);
    private final Deque<String> source = new ArrayDeque<>();
    private final WakeSignal signal = new WakeSignal();

    @Test
    void aSignalWhilePendingWakesTheTaskOnceAndTheNextPollTakesTheItem() {
        Stream<String> frames = Stream.fromPoll(source::poll, signal);
        assertThat(frames.pollNext(cx).isPending()).isTrue();
        assertThat(wakes).as("nothing happened yet").hasValue(0);

        source.add("frame 1");
        signal.signal();
        assertThat(wakes).hasValue(1);
        assertThat(frames.pollNext(cx).value()).isEqualTo("frame 1");
        assertThat(frames.pollNext(cx).isPending()).isTrue();
        assertThat(wakes).as("an empty look after an item does not wake the task by itself").hasValue(1);
    }

    @Test
    void signalsAreNotCountedSeveralSignalsCauseOneLook() {
        Stream<String> frames = Stream.fromPoll(source::poll, signal);
        assertThat(frames.pollNext(cx).isPending()).isTrue();
        source.add("a");
        source.add("b");
        signal.signal();
        signal.signal();
        assertThat(frames.pollNext(cx).value()).isEqualTo("a");
        assertThat(frames.pollNext(cx).value()).as("the poll function drains what is there").isEqualTo("b");
        assertThat(frames.pollNext(cx).isPending()).isTrue();
    }

    @Test
    void aSignalBeforeTheFirstPollIsConsumedByItsLookAndCausesNoWakeLoop() {
        signal.signal();                    // e.g. a callback for a frame that was already taken
        Stream<String> frames = Stream.fromPoll(source::poll, signal);
        assertThat(frames.pollNext(cx).isPending()).isTrue();
        assertThat(wakes).as("the look already covered that signal").hasValue(0);
    }

    @Test
    void aSignalBetweenTheLookAndTheRegistrationMakesThePollerLookAgain() {
        // The source signals while tryNext is running, after it found nothing: the classic lost
        // wake-up. The stream must wake its task itself.
        Stream<String> frames = Stream.fromPoll(() -> {
            String item = source.poll();
            if (item == null) {
                source.add("late frame");
                signal.signal();            // nobody is registered yet
            }
            return item;
        }, signal);
        assertThat(frames.pollNext(cx).isPending()).isTrue();
        assertThat(wakes).as("the poll saw the signal after registering and woke its task").hasValue(1);
        assertThat(frames.pollNext(cx).value()).isEqualTo("late frame");
    }

    @Test
    void theStreamEndsWhenTheSourceClosesAndLaterSignalsWakeNobody() {
        AtomicBoolean open = new AtomicBoolean(true);
        Stream<String> frames = Stream.fromPoll(source::poll, open::get, signal);
        assertThat(frames.pollNext(cx).isPending()).isTrue();
        source.add("last");
        open.set(false);
        signal.signal();
        assertThat(wakes).hasValue(1);
        assertThat(frames.pollNext(cx).value()).as("an item made before closing is delivered").isEqualTo("last");
        assertThat(frames.pollNext(cx).isEnd()).isTrue();

        signal.signal();
        assertThat(wakes).as("a signal after the end is harmless").hasValue(1);
        assertThat(frames.pollNext(cx).isEnd()).isTrue();
    }

    @Test
    void aCancelledStreamIsNotWokenBySignals() {
        Stream<String> frames = Stream.fromPoll(source::poll, signal);
        assertThat(frames.pollNext(cx).isPending()).isTrue();
        frames.drop();
        frames.drop();
        signal.signal();
        assertThat(wakes).hasValue(0);
    }

    @Test
    void anErrorFromThePollFunctionEndsTheStreamAndDeregisters() {
        AtomicBoolean fail = new AtomicBoolean();
        Stream<String> frames = Stream.fromPoll(() -> {
            if (fail.get()) {
                throw new IllegalStateException("device unplugged");
            }
            return null;
        }, signal);
        assertThat(frames.pollNext(cx).isPending()).isTrue();
        fail.set(true);
        assertThatThrownBy(() -> frames.pollNext(cx)).hasMessage("device unplugged");
        signal.signal();
        assertThat(wakes).hasValue(0);
    }

    @Test
    void theLatestWakerIsTheOneWoken() {
        Stream<String> frames = Stream.fromPoll(source::poll, signal);
        assertThat(frames.pollNext(cx).isPending()).isTrue();
        AtomicInteger otherWakes = new AtomicInteger();
        assertThat(frames.pollNext(new Context(otherWakes::incrementAndGet)).isPending()).isTrue();
        signal.signal();
        assertThat(otherWakes).hasValue(1);
        assertThat(wakes).hasValue(0);
    }

    @Test
    void aFutureFromPollIsReadyWithTheFirstValueAndThenReleasesTheSignal() {
        Future<String> next = Future.fromPoll(source::poll, signal);
        assertThat(next.poll(cx).isPending()).isTrue();
        source.add("frame");
        signal.signal();
        assertThat(wakes).hasValue(1);
        assertThat(next.poll(cx).value()).isEqualTo("frame");

        signal.signal();
        assertThat(wakes).as("a finished future is not woken").hasValue(1);

        // the same signal serves the next future
        Future<String> after = Future.fromPoll(source::poll, signal);
        assertThat(after.poll(cx).isPending()).isTrue();
        source.add("frame 2");
        signal.signal();
        assertThat(wakes).hasValue(2);
        assertThat(after.poll(cx).value()).isEqualTo("frame 2");
    }

    @Test
    void aCancelledFutureFromPollIsNotWoken() {
        Future<String> next = Future.fromPoll(source::poll, signal);
        assertThat(next.poll(cx).isPending()).isTrue();
        next.drop();
        signal.signal();
        assertThat(wakes).hasValue(0);
    }

    @Test
    void signalWithNobodyRegisteredOnlySetsTheFlag() {
        signal.signal();
        assertThat(signal.register(Waker.NOOP)).as("the poller must look again").isTrue();
        assertThat(signal.clear()).isTrue();
        assertThat(signal.clear()).isFalse();
        assertThat(signal.register(Waker.NOOP)).isFalse();
        signal.deregister();
        signal.signal();
        assertThat(signal.toString()).contains("signalled");
    }
}

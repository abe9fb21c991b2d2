package dev.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.sync.Harness.CountingWaker;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Watch: the latest value is always seen, intermediate ones may be skipped, waits are cancel-safe. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WatchTest {

    static java.util.stream.Stream<Harness.Rt> runtimes() {
        return Harness.runtimes();
    }

    @Test
    void receiversSeeTheLatestValueAndWaitForTheNextChange() {
        Watch<String> w = Channels.watch("v0");
        assertThat(w.receiver().current()).isEqualTo("v0");
        assertThat(w.receiver().hasChanged()).as("the initial value counts as seen").isFalse();
        CountingWaker k = new CountingWaker();
        Future<String> change = w.receiver().changedFuture();
        assertThat(change.poll(k.cx).isPending()).isTrue();
        w.sender().send("v1");
        w.sender().send("v2");
        assertThat(k.count()).isEqualTo(1);
        assertThat(change.poll(k.cx).value()).as("intermediate values may be skipped").isEqualTo("v2");
        assertThat(w.receiver().hasChanged()).isFalse();
    }

    @Test
    void aCancelledWaitMarksNothingSeen() {
        Watch<Integer> w = Channels.watch(0);
        CountingWaker k = new CountingWaker();
        Future<Integer> change = w.receiver().changedFuture();
        assertThat(change.poll(k.cx).isPending()).isTrue();
        w.sender().send(1);
        change.drop();
        assertThat(w.receiver().hasChanged()).isTrue();
        assertThat(w.receiver().changed()).isEqualTo(1);
    }

    @Test
    void closingTheSenderEndsReceiversAfterTheLatestValue() {
        Watch<Integer> w = Channels.watch(0);
        Watch.Receiver<Integer> other = w.receiver().clone();
        w.sender().send(5);
        w.sender().close();
        assertThat(w.receiver().changed()).isEqualTo(5);
        assertThatThrownBy(() -> w.receiver().changed()).isInstanceOf(ClosedException.class);
        assertThat(other.changed()).isEqualTo(5);
        other.close();
        w.receiver().close();
        Watch<Integer> lonely = Channels.watch(0);
        lonely.receiver().close();
        assertThatThrownBy(() -> lonely.sender().send(9))
                .isInstanceOfSatisfying(ClosedException.class, e -> assertThat(e.<Integer>value()).isEqualTo(9));
        assertThat(lonely.sender().current()).isZero();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void aWatcherTaskAlwaysEndsOnTheLastValue(Harness.Rt kind) {
        try (Runtime rt = kind.open()) {
            int last = rt.run(() -> {
                Watch<Integer> w = Channels.watch(0);
                Watch.Receiver<Integer> polled = w.sender().subscribe();
                Task<Integer> seq = Weft.spawn(() -> {
                    int latest = 0;
                    try {
                        while (true) {
                            latest = w.receiver().changed();
                        }
                    } catch (ClosedException end) {
                        return latest;
                    }
                });
                int[] latest = {0};
                Task<Integer> poll = Weft.spawnFuture(Harness.pollLoop(polled::changedFuture, v -> {
                    latest[0] = v;
                    return v == 10_000 ? v : null;
                }));
                for (int i = 1; i <= 10_000; i++) {
                    w.sender().send(i);
                }
                w.sender().close();
                assertThat(poll.join()).isEqualTo(10_000);
                return seq.join();
            });
            assertThat(last).isEqualTo(10_000);
        }
    }
}

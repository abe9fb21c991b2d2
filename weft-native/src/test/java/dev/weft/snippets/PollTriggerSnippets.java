package dev.weft.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Backoff;
import dev.weft.Future;
import dev.weft.Stream;
import dev.weft.WakeSignal;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Examples shown in the Javadoc of weft-core's {@code PollTrigger}, {@code WakeSignal} and
 * {@code Future.fromPoll}; each is a test. (They live here because they need a runtime.)
 */
class PollTriggerSnippets {

    /** A device that only offers "is there something now?", and may call a listener. */
    static final class Device {
        private final ConcurrentLinkedQueue<String> ready = new ConcurrentLinkedQueue<>();
        private volatile Runnable listener = () -> { };

        String tryNext() {
            return ready.poll();
        }

        void onReady(Runnable listener) {
            this.listener = listener;
        }

        void produce(String item) {
            ready.add(item);
            listener.run();
        }
    }

    @Test
    void both() {
        Device slow = new Device();
        Device chatty = new Device();
        List<String> got = new ArrayList<>();
        try (var rt = Runtimes.currentThread()) {
            rt.run(() -> {
                // @start region="both"
                // A device that cannot tell anyone: poll it on a timer.
                Stream<String> polled = Stream.fromPoll(slow::tryNext, Backoff.fixed(Duration.ofMillis(2)));
                // A device with a listener: let it say when.
                WakeSignal ready = new WakeSignal();
                chatty.onReady(ready::signal);
                Stream<String> woken = Stream.fromPoll(chatty::tryNext, ready);
                // @end
                Thread.ofPlatform().start(() -> {
                    slow.produce("slow 1");
                    chatty.produce("chatty 1");
                });
                got.addAll(Weft.await(Stream.merge(polled, woken).take(2).toList()));
            });
        }
        assertThat(got).containsExactlyInAnyOrder("slow 1", "chatty 1");
    }

    @Test
    void signal() {
        Device device = new Device();
        List<String> got = new ArrayList<>();
        try (var rt = Runtimes.currentThread()) {
            rt.run(() -> {
                // @start region="signal"
                WakeSignal ready = new WakeSignal();
                device.onReady(ready::signal);                       // called on the device's thread
                Thread.ofPlatform().start(() -> device.produce("item"));
                for (String item : Weft.iterate(Stream.fromPoll(device::tryNext, ready).take(1))) {
                    got.add(item);                                   // the task slept until the signal
                }
                // @end
            });
        }
        assertThat(got).containsExactly("item");
    }

    @Test
    void future() {
        Device device = new Device();
        try (var rt = Runtimes.currentThread()) {
            String value = rt.run(() -> {
                Thread.ofPlatform().start(() -> device.produce("answer"));
                // @start region="future"
                String next = Weft.await(Future.fromPoll(device::tryNext, Backoff.fixed(Duration.ofMillis(1))));
                // @end
                return next;
            });
            assertThat(value).isEqualTo("answer");
        }
    }
}

package dev.weft.sync.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import dev.weft.sync.Broadcast;
import dev.weft.sync.Channels;
import dev.weft.sync.ClosedException;
import dev.weft.sync.LaggedException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Examples shown in the Javadoc of {@link Broadcast} and {@link LaggedException}; each is a test. */
class BroadcastSnippets {

    @Test
    void fanout() {
        try (var rt = Runtimes.currentThread()) {
            List<Integer> counts = rt.run(() -> {
                // @start region="fanout"
                Broadcast<String> events = Channels.broadcast(128);
                List<Task<Integer>> listeners = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Broadcast.Receiver<String> rx = i == 0 ? events.receiver() : events.sender().subscribe();
                    listeners.add(Weft.spawn(() -> {
                        int seen = 0;
                        try {
                            while (true) {
                                rx.recv();
                                seen++;
                            }
                        } catch (ClosedException end) {            // every sender closed, all seen
                            return seen;
                        }
                    }));
                }
                try (var tx = events.sender()) {
                    tx.send("started");
                    tx.send("stopped");
                }
                // @end
                List<Integer> out = new ArrayList<>();
                for (Task<Integer> l : listeners) {
                    out.add(l.join());
                }
                return out;
            });
            assertThat(counts).containsExactly(2, 2, 2);
        }
    }

    @Test
    void lagged() {
        Broadcast<Integer> ticks = Channels.broadcast(2);
        for (int i = 1; i <= 5; i++) {
            ticks.sender().send(i);
        }
        Broadcast.Receiver<Integer> slow = ticks.receiver();
        long missed = 0;
        int next;
        // @start region="lagged"
        try {
            next = slow.recv();
        } catch (LaggedException e) {
            missed += e.missed();                                   // 3 ticks were overwritten
            next = slow.recv();                                     // continue from the oldest kept: 4
        }
        // @end
        assertThat(missed).isEqualTo(3);
        assertThat(next).isEqualTo(4);
    }
}

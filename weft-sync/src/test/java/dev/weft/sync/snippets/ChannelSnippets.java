package dev.weft.sync.snippets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Either;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import dev.weft.sync.Channel;
import dev.weft.sync.Channels;
import dev.weft.sync.ClosedException;
import dev.weft.sync.Receiver;
import dev.weft.sync.Sender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Examples shown in the Javadoc of the mpsc channel types; each is a test. */
class ChannelSnippets {

    @Test
    void mpsc() {
        try (var rt = Runtimes.currentThread()) {
            int total = rt.run(() -> {
                // @start region="mpsc"
                Channel<Integer> jobs = Channels.mpsc(64);         // at most 64 waiting: producers park when full
                Sender<Integer> tx = jobs.sender();
                Task<Void> producer = Weft.spawn(() -> {
                    try (tx) {                                      // closing the last sender ends the channel
                        for (int i = 1; i <= 100; i++) {
                            tx.send(i);
                        }
                    }
                });
                int sum = 0;
                for (int job : jobs.receiver()) {                  // parks while empty; ends after the last job
                    sum += job;
                }
                // @end
                producer.join();
                return sum;
            });
            assertThat(total).isEqualTo(5050);
        }
    }

    @Test
    void selectLosesNothing() {
        try (var rt = Runtimes.currentThread()) {
            List<String> handled = rt.run(() -> {
                Channel<String> ch = Channels.mpsc(8);
                Receiver<String> inbox = ch.receiver();
                List<String> log = new ArrayList<>();
                Weft.spawn(() -> {
                    Weft.sleep(Duration.ofMillis(30));
                    ch.sender().send("hello");
                });
                while (log.isEmpty() || log.getLast().equals("idle")) {
                    // @start region="selectLosesNothing"
                    switch (Weft.select(inbox.recvFuture(), Weft.sleepFuture(Duration.ofMillis(10)))) {
                        case Either.First<String, Void>(var msg) -> log.add(msg);
                        case Either.Second<String, Void> idle -> log.add("idle");  // the losing receive took nothing
                    }
                    // @end
                }
                return log;
            });
            assertThat(handled).last().isEqualTo("hello");
            assertThat(handled).contains("idle");
        }
    }

    @Test
    void recvMany() {
        try (var rt = Runtimes.currentThread()) {
            long total = rt.run(() -> {
                Channel<Long> ch = Channels.mpsc(1024);
                Weft.spawn(() -> {
                    try (var tx = ch.sender()) {
                        for (long i = 1; i <= 10_000; i++) {
                            tx.send(i);
                        }
                    }
                });
                Receiver<Long> rx = ch.receiver();
                long sum = 0;
                // @start region="recvMany"
                List<Long> batch = new ArrayList<>(256);
                while (rx.recvMany(batch, 256) > 0) {                  // parks until at least one; 0 at the end
                    for (long v : batch) {
                        sum += v;
                    }
                    batch.clear();
                }
                // @end
                return sum;
            });
            assertThat(total).isEqualTo(10_000L * 10_001 / 2);
        }
    }

    @Test
    void closedValue() {
        Channel<String> ch = Channels.mpsc(4);
        Sender<String> tx = ch.sender();
        ch.receiver().close();
        List<String> retry = new ArrayList<>();
        // @start region="closedValue"
        try {
            tx.send("job-42");
        } catch (ClosedException e) {
            retry.add(e.value());                                // the undelivered message comes back
        }
        // @end
        assertThat(retry).containsExactly("job-42");
        assertThatThrownBy(() -> ch.receiver().recv()).isInstanceOf(ClosedException.class);
    }
}

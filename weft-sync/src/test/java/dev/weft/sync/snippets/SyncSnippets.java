package dev.weft.sync.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import dev.weft.sync.Barrier;
import dev.weft.sync.Mutex;
import dev.weft.sync.Notify;
import dev.weft.sync.RwLock;
import dev.weft.sync.Semaphore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Examples shown in the Javadoc of the locks and friends; each is a test. */
class SyncSnippets {

    @Test
    void semaphore() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (var rt = Runtimes.currentThread()) {
            rt.run(() -> {
                List<Task<Void>> calls = new ArrayList<>();
                // @start region="semaphore"
                Semaphore connections = new Semaphore(4);           // at most 4 calls at once
                for (int i = 0; i < 20; i++) {
                    calls.add(Weft.spawn(() -> {
                        try (var permit = connections.acquire()) {  // released on every path
                            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                            Weft.sleep(Duration.ofMillis(1));        // the call
                            inFlight.decrementAndGet();
                        }
                    }));
                }
                // @end
                for (Task<Void> c : calls) {
                    c.join();
                }
                assertThat(connections.availablePermits()).isEqualTo(4);
            });
        }
        assertThat(most.get()).isEqualTo(4);
    }

    @Test
    void mutex() {
        try (var rt = Runtimes.currentThread()) {
            int hits = rt.run(() -> {
                // @start region="mutex"
                Mutex<Map<String, Integer>> cache = new Mutex<>(new HashMap<>());
                Task<Void> a = Weft.spawn(() -> {
                    try (var g = cache.lock()) {
                        Weft.sleep(Duration.ofMillis(2));            // holding the lock across an await is fine
                        g.get().merge("hits", 1, Integer::sum);
                    }
                });
                Task<Void> b = Weft.spawn(() -> {
                    try (var g = cache.lock()) {                     // waits in line, without a thread
                        g.get().merge("hits", 1, Integer::sum);
                    }
                });
                // @end
                a.join();
                b.join();
                try (var g = cache.lock()) {
                    return g.get().get("hits");
                }
            });
            assertThat(hits).isEqualTo(2);
        }
    }

    @Test
    void rwlock() {
        try (var rt = Runtimes.currentThread()) {
            String seen = rt.run(() -> {
                // @start region="rwlock"
                RwLock<String> config = new RwLock<>("v1");
                try (var w = config.write()) {                       // one writer…
                    w.set("v2");
                }
                String now;
                try (var r1 = config.read(); var r2 = config.read()) {   // …or many readers
                    now = r1.get() + "/" + r2.get();
                }
                // @end
                return now;
            });
            assertThat(seen).isEqualTo("v2/v2");
        }
    }

    @Test
    void notifyExample() {
        try (var rt = Runtimes.currentThread()) {
            boolean woke = rt.run(() -> {
                // @start region="notify"
                Notify ready = new Notify();
                Task<Boolean> waiter = Weft.spawn(() -> {
                    ready.notified();                               // parks until notified
                    return true;
                });
                ready.notifyOne();                                  // kept as a permit if the waiter is not there yet
                // @end
                return waiter.join();
            });
            assertThat(woke).isTrue();
        }
    }

    @Test
    void barrier() {
        try (var rt = Runtimes.currentThread()) {
            int leaders = rt.run(() -> {
                List<Task<Boolean>> workers = new ArrayList<>();
                // @start region="barrier"
                Barrier allLoaded = new Barrier(3);
                for (int i = 0; i < 3; i++) {
                    workers.add(Weft.spawn(() -> {
                        // … load this worker's shard …
                        return allLoaded.await();                   // parks until all three arrived
                    }));
                }
                // @end
                int count = 0;
                for (Task<Boolean> w : workers) {
                    count += w.join() ? 1 : 0;
                }
                return count;
            });
            assertThat(leaders).as("exactly one leader").isEqualTo(1);
        }
    }
}

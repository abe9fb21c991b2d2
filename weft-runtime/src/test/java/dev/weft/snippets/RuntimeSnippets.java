package dev.weft.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.spi.Faults;
import dev.weft.runtime.Runtimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Examples shown in the Javadoc of {@link Runtime} and the runtimes; each is a test. */
class RuntimeSnippets {

    @Test
    void twoRuntimes() {
        // @start region="twoRuntimes"
        try (Runtime ui = Runtimes.currentThread("ui"); Runtime workers = Runtimes.jdkDefault("workers")) {
            String shown = ui.run(() -> {
                Task<Integer> crunch = workers.spawn(() -> 6 * 7);        // onto the other runtime
                int answer = crunch.join();                                 // parks here, on "ui"
                return Runtime.current().name() + " shows " + answer;
            });
            assertThat(shown).isEqualTo("ui shows 42");
        }
        // @end
    }

    @Test
    void faults() throws Exception {
        // @start region="faults"
        var seen = new java.util.concurrent.LinkedBlockingQueue<Faults.Fault>();
        try (var rt = Runtimes.multiThreadBuilder().workers(1).build();
             var listening = Faults.addListener(seen::add)) {             // told on the reporter thread
            rt.scheduleWake(System.nanoTime(), () -> {
                throw new IllegalStateException("a broken waker");         // caught, reported, not fatal
            });
            Faults.Fault f = seen.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(f.error()).hasMessage("a broken waker");
            assertThat(rt.blockOn(dev.weft.Future.ready(1))).isEqualTo(1);  // the runtime runs on
        }
        // @end
    }

    @Test
    void currentThread() {
        // @start region="currentThread"
        try (var rt = Runtimes.currentThread()) {                // one OS thread: this one
            long frames = rt.run(() -> {
                Task<Long> camera = Weft.spawn(() -> {
                    long n = 0;
                    for (int i = 0; i < 3; i++) {
                        Weft.sleep(Duration.ofMillis(5));        // the thread runs other tasks meanwhile
                        n++;
                    }
                    return n;
                });
                return camera.join();
            });
            assertThat(frames).isEqualTo(3);
        }
        // @end
    }

    @Test
    void multiThread() {
        // @start region="multiThread"
        try (var rt = Runtimes.multiThreadBuilder().name("server").workers(2).build()) {
            long total = rt.run(() -> {
                List<Task<Long>> parts = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    long from = i * 1_000L;
                    parts.add(Weft.spawn(() -> LongStream.range(from, from + 1_000).sum()));   // runs on any worker
                }
                long sum = 0;
                for (Task<Long> t : parts) {
                    sum += t.join();
                }
                return sum;
            });
            assertThat(total).isEqualTo(LongStream.range(0, 8_000).sum());
        }
        // @end
    }

    @Test
    void jdkDefault() {
        // @start region="jdkDefault"
        try (var rt = Runtimes.jdkDefault()) {                   // works without any JVM flag
            assertThat(rt.run(() -> Thread.currentThread().isVirtual())).isTrue();
        }
        // @end
    }
}

package dev.weft.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.time.Duration;
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
    void jdkDefault() {
        // @start region="jdkDefault"
        try (var rt = Runtimes.jdkDefault()) {                   // works without any JVM flag
            assertThat(rt.run(() -> Thread.currentThread().isVirtual())).isTrue();
        }
        // @end
    }
}

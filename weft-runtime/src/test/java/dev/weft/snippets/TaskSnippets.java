package dev.weft.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Task;
import dev.weft.TaskLocal;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Examples shown in the Javadoc of {@link Task} and {@link TaskLocal}; each is a test. */
class TaskSnippets {

    @Test
    void spawnJoin() {
        try (var rt = Runtimes.currentThread()) {
            int total = rt.run(() -> {
                // @start region="spawnJoin"
                Task<Integer> report = Weft.spawn("crunch", () -> {
                    Weft.sleep(Duration.ofMillis(5));     // parks the task; the thread runs others
                    return 6 * 7;
                });
                int value = report.join();               // waits without blocking the carrier
                // @end
                assertThat(report.name()).isEqualTo("crunch");
                return value;
            });
            assertThat(total).isEqualTo(42);
        }
    }

    @Test
    void taskLocal() {
        try (var rt = Runtimes.currentThread()) {
            rt.run(() -> {
                // @start region="taskLocal"
                TaskLocal<String> requestId = TaskLocal.withInitial(() -> "none");
                Task<String> a = Weft.spawn(() -> {
                    requestId.set("req-1");
                    Weft.sleep(Duration.ofMillis(2));    // another task runs meanwhile on this thread
                    return requestId.get();
                });
                Task<String> b = Weft.spawn(requestId::get);
                assertThat(a.join()).isEqualTo("req-1");
                assertThat(b.join()).isEqualTo("none");
                // @end
            });
        }
    }
}

package dev.weft.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.TaskScope;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The example shown in the Javadoc of {@link TaskScope}; it is a test. */
class TaskScopeSnippets {

    static String fetch(String what) {
        Weft.sleep(Duration.ofMillis(3));
        return what.toUpperCase();
    }

    @Test
    void fanOut() {
        try (var rt = Runtimes.currentThread()) {
            String merged = rt.run(() -> {
                // @start region="fanOut"
                try (var scope = TaskScope.open()) {          // children cannot outlive this block
                    var left = scope.spawn(() -> fetch("left"));
                    var right = scope.spawn(() -> fetch("right"));
                    return left.join() + "+" + right.join();  // one fails: the other is cancelled, the error thrown here
                }
                // @end
            });
            assertThat(merged).isEqualTo("LEFT+RIGHT");
        }
    }
}

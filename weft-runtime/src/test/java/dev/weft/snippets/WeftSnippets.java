package dev.weft.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Task;
import dev.weft.Weft;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The example shown in the Javadoc of {@link Weft}; it is a test. */
class WeftSnippets {

    @Test
    void main() {
        // @start region="main"
        String summary = Weft.run(() -> {                        // a runtime for main, closed after
            Task<Integer> a = Weft.spawn(() -> {
                Weft.sleep(Duration.ofMillis(5));
                return 40;
            });
            Task<Integer> b = Weft.spawn(() -> 2);
            return "total " + (a.join() + b.join());
        });
        // @end
        assertThat(summary).isEqualTo("total 42");
    }
}

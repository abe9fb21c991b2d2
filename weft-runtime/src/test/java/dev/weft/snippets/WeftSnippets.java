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

    @Test
    void dump() {
        // @start region="dump"
        String dump = Weft.run(() -> {
            Task<Void> poller = Weft.spawn("poller", () -> Weft.sleep(Duration.ofMinutes(1)));
            Weft.sleep(Duration.ofMillis(50));          // let it park
            String text = Weft.dump();                  // every task of every runtime in the process
            poller.cancel();
            return text;
        });
        // @end
        assertThat(dump).contains("'poller' sequential IDLE").contains("parked in Weft, on sleep(1 min");
    }
}

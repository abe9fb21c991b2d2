package dev.weft.sync.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import dev.weft.sync.Channels;
import dev.weft.sync.ClosedException;
import dev.weft.sync.Watch;
import org.junit.jupiter.api.Test;

/** Examples shown in the Javadoc of {@link Watch}; each is a test. */
class WatchSnippets {

    record Config(int maxConnections) { }

    @Test
    void config() {
        try (var rt = Runtimes.currentThread()) {
            int applied = rt.run(() -> {
                // @start region="config"
                Watch<Config> config = Channels.watch(new Config(10));
                Watch.Receiver<Config> rx = config.receiver();
                Task<Integer> server = Weft.spawn(() -> {
                    int limit = rx.current().maxConnections();
                    try {
                        while (true) {
                            limit = rx.changed().maxConnections();  // parks until the next change
                        }
                    } catch (ClosedException publisherGone) {
                        return limit;                               // the latest value is never missed
                    }
                });
                config.sender().send(new Config(20));
                config.sender().send(new Config(30));
                config.sender().close();
                // @end
                return server.join();
            });
            assertThat(applied).isEqualTo(30);
        }
    }
}

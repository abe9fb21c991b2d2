package dev.weft.sync.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import dev.weft.sync.Channel;
import dev.weft.sync.Channels;
import dev.weft.sync.Oneshot;
import org.junit.jupiter.api.Test;

/** Examples shown in the Javadoc of {@link Oneshot}; each is a test. */
class OneshotSnippets {

    /** A request to a service task, carrying where to send the answer. */
    record Lookup(String key, Oneshot.Sender<Integer> reply) { }

    @Test
    void reply() {
        try (var rt = Runtimes.currentThread()) {
            int length = rt.run(() -> {
                Channel<Lookup> requests = Channels.mpsc(16);
                Weft.spawn(() -> {                                     // the service
                    for (Lookup req : requests.receiver()) {
                        try (var reply = req.reply()) {                // closed unsent if we fail: no one waits forever
                            reply.send(req.key().length());
                        }
                    }
                });
                // @start region="reply"
                Oneshot<Integer> answer = Channels.oneshot();
                requests.sender().send(new Lookup("weft", answer.sender()));
                int n = answer.receiver().recv();                      // parks until the service replies
                // @end
                requests.sender().close();
                return n;
            });
            assertThat(length).isEqualTo(4);
        }
    }
}

package dev.weft.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Context;
import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Examples shown in the Javadoc of {@link Future} and {@link Either}; each is a test. */
class FutureSnippets {

    @Test
    void pollByHand() {
        // @start region="pollByHand"
        AtomicInteger wakes = new AtomicInteger();
        Context cx = new Context(wakes::incrementAndGet);     // a waker that counts
        Future<String> greeting = Future.ready("hello").map(s -> s + ", world");
        Poll<String> answer = greeting.poll(cx);               // nothing ran before this poll
        assertThat(answer.isReady()).isTrue();
        assertThat(answer.value()).isEqualTo("hello, world");
        // @end
        assertThat(wakes).hasValue(0);
    }

    @Test
    void select() {
        try (var rt = Runtimes.currentThread()) {
            rt.run(() -> {
                Future<String> reply = Future.sleep(Duration.ofMillis(5)).map(x -> "pong");
                // @start region="select"
                String outcome = switch (Weft.select(reply, Weft.sleepFuture(Duration.ofSeconds(1)))) {
                    case Either.First<String, Void>(var msg) -> "got " + msg;
                    case Either.Second<String, Void> timedOut -> "gave up";   // the loser was cancelled
                };
                // @end
                assertThat(outcome).isEqualTo("got pong");
            });
        }
    }
}

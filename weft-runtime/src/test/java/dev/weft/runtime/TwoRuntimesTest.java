package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several runtimes in one process: spawning onto another and awaiting it from here. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TwoRuntimesTest {

    @Test
    void aTaskOnOneRuntimeSpawnsOntoAnotherAndAwaitsIt() {
        try (Runtime home = Runtimes.currentThread("home"); Runtime away = Runtimes.jdkDefault("away")) {
            List<Runtime> seen = home.run(() -> {
                Task<Runtime> remote = away.spawn(() -> {
                    Weft.sleep(Duration.ofMillis(5));          // on away's timer
                    return Runtime.current();
                });
                Task<Runtime> remotePoll = away.spawnFuture(Future.ready(0).map(x -> Runtime.current()));
                Runtime there = remote.join();                  // parks on home; woken from away
                return List.of(there, remotePoll.join(), Runtime.current());
            });
            assertThat(seen).containsExactly(away, away, home);
        }
    }

    @Test
    void twoCurrentThreadRuntimesOnTwoThreadsAwaitEachOther() throws Exception {
        try (var a = Runtimes.currentThread("a"); var b = Runtimes.currentThread("b")) {
            CountDownLatch bRunning = new CountDownLatch(1);
            Thread bDriver = Thread.ofPlatform().name("b-driver").start(() -> b.run(() -> {
                bRunning.countDown();
                Weft.sleep(Duration.ofMillis(300));   // keeps b driven while a's request arrives
            }));
            bRunning.await();
            String r = a.run(() -> {
                Task<String> onB = b.spawn(() -> Runtime.current().name() + ":" + Thread.currentThread().isVirtual());
                return Runtime.current().name() + "->" + onB.join();
            });
            assertThat(r).isEqualTo("a->b:true");
            bDriver.join();
        }
    }

    @Test
    void aPollTaskAwaitsATaskOfAnotherRuntime() {
        try (Runtime home = Runtimes.currentThread("home"); Runtime away = Runtimes.jdkDefault("away")) {
            int r = home.blockOn(Future.ready(20).then(x -> away.spawn(() -> x + 22)));
            assertThat(r).isEqualTo(42);
        }
    }
}

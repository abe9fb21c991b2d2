package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Cancellable;
import dev.weft.Task;
import dev.weft.Waker;
import dev.weft.Weft;
import dev.weft.spi.AbstractRuntime;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A runtime as a third party writes it (issue 16): {@link AbstractRuntime} and {@link Carriers}
 * only, its sequential tasks carried by one thread of its own, as an event loop or a UI toolkit
 * would. (weft-examples/standalone holds a fuller one, built against the installed artifacts.)
 */
class ThirdPartyRuntimeTest {
    /** A loop runtime: one platform thread runs poll tasks and carries sequential ones; no timer. */
    static final class LoopRuntime extends AbstractRuntime {
        final ExecutorService loop;
        private final ThreadFactory tasks;

        LoopRuntime(String name) {
            super(name);
            this.loop = Executors.newSingleThreadExecutor(r -> new Thread(r, name + "-loop"));
            this.tasks = Carriers.carriedBy(loop, name);
        }

        @Override
        public Executor pollExecutor() {
            return loop;
        }

        @Override
        public ThreadFactory virtualThreadFactory() {
            return tasks;
        }

        @Override
        public boolean carries(Thread virtualThread) {
            return Carriers.isCarriedBy(virtualThread, loop);
        }

        @Override
        public Cancellable scheduleWake(long deadlineNanos, Waker waker) {
            throw new UnsupportedOperationException("this test runtime has no timer");
        }

        @Override
        protected void shutdown(long deadlineNanos) {
            loop.shutdown();
        }
    }

    @Test
    void sequentialTasksOfARuntimeOfOnesOwnAreCarriedByItsThread() {
        assertThat(Carriers.isAvailable()).as("./weft passes the flag to the tests").isTrue();
        try (LoopRuntime rt = new LoopRuntime("loop");
             var weft = Runtimes.multiThreadBuilder().name("weft").workers(1).build()) {
            // from another runtime's task: the child is still carried by the loop, not by that worker
            String[] seen = weft.run(() -> rt.spawn(() -> {
                Task<Integer> other = weft.spawn(() -> 1);
                other.join();                                              // parks: the loop thread is free meanwhile
                return new String[] {Thread.currentThread().isVirtual() + "",
                        Carriers.isCarriedBy(Thread.currentThread(), rt.loop) + "",
                        dev.weft.Runtime.current().name()};
            }).join());
            assertThat(seen).containsExactly("true", "true", "loop");
        }
    }

    /**
     * A runtime's class does not make its code source "Weft" in task dumps: a user's code beside
     * it (here this test class, in the same classes directory as LoopRuntime) keeps its frames.
     * AbstractRuntime used to register every subclass's code source as a library, and a hang
     * demo's dump lost the lines that pointed at the deadlock.
     */
    @Test
    void userFramesBesideARuntimeOfOnesOwnStayInTaskDumps() {
        new LoopRuntime("beside").close();
        try (var rt = Runtimes.multiThreadBuilder().name("dumped").workers(1).build()) {
            Task<Void> asleep = rt.spawn("asleep-in-user-code", () -> Weft.sleep(Duration.ofMinutes(5)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String dump = Weft.dump();
            while (!dump.contains("'asleep-in-user-code' sequential IDLE") && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                dump = Weft.dump();
            }
            assertThat(dump).containsPattern("at dev\\.weft\\.runtime\\.ThirdPartyRuntimeTest\\.lambda\\$");
            asleep.cancel();
        }
    }
}

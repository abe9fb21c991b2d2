package dev.weft.examples.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.examples.ExecutorRuntime;
import dev.weft.tck.FaultConformanceTest;
import dev.weft.tck.RuntimeConformanceTest;
import dev.weft.tck.SyncConformanceTest;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A runtime written outside Weft's runtime module, on the public SPI only, passes the conformance
 * kit as the kit's README tells a third party to run it (issue 16): a subclass per suite, from a
 * package of its own.
 */
class ExecutorRuntimeConformanceTest {
    /** Poll tasks run on the executor the user gave; sequential tasks on virtual threads; both see the runtime as current. */
    @Test
    void pollTasksRunOnTheUsersExecutorAndBothKindsSeeTheRuntime() {
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        try (ExecutorRuntime rt = ExecutorRuntime.over("mine", Executors.newFixedThreadPool(2,
                r -> new Thread(r, "users-pool-" + made.incrementAndGet())))) {
            String pollThread = rt.run(() -> rt.spawnFuture((Future<String>) cx -> {
                assertThat(Runtime.current()).isSameAs(rt);
                return Poll.ready(Thread.currentThread().getName());
            }).join());
            boolean[] seq = rt.run(() -> new boolean[] {Thread.currentThread().isVirtual(), Runtime.current() == rt});
            assertThat(pollThread).startsWith("users-pool-");
            assertThat(seq).containsExactly(true, true);
        }
    }

    /**
     * A runtime's class does not make its jar "Weft" in task dumps: user code shipped beside it
     * (here the examples' HangDemo, in the same classes directory as ExecutorRuntime) keeps its
     * frames. AbstractRuntime used to register every subclass's code source as a library, and the
     * hang demo's dump then lost the lines that point at the deadlock.
     */
    @Test
    void userFramesBesideAThirdPartyRuntimeStayInTaskDumps() {
        ExecutorRuntime.over("beside", Executors.newSingleThreadExecutor()).close();
        String dump = dev.weft.examples.HangDemo.run(java.time.Duration.ofMillis(300));
        assertThat(dump).containsPattern("at dev\\.weft\\.examples\\.HangDemo\\.lambda\\$run\\$\\d+\\(HangDemo\\.java:\\d+\\)");
        assertThat(dump.lines().count()).as("one screen:%n%s", dump).isLessThanOrEqualTo(40);
    }

    @Nested
    class Behaviour extends RuntimeConformanceTest {
        @Override
        protected Runtime newRuntime() {
            return ExecutorRuntime.over("executor-conformance", Executors.newFixedThreadPool(2));
        }
    }

    @Nested
    class Faults extends FaultConformanceTest {
        @Override
        protected Runtime newRuntime() {
            return ExecutorRuntime.over("executor-faults", Executors.newFixedThreadPool(2));
        }
    }

    @Nested
    class Sync extends SyncConformanceTest {
        @Override
        protected Runtime newRuntime() {
            return ExecutorRuntime.over("executor-sync", Executors.newFixedThreadPool(2));
        }
    }
}

package dev.weft.examples.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.examples.ExecutorRuntime;
import dev.weft.tck.FaultConformanceTest;
import dev.weft.tck.RuntimeConformanceTest;
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
}

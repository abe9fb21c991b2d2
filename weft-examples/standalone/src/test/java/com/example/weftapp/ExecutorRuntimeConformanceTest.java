package com.example.weftapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import dev.weft.sync.Channel;
import dev.weft.sync.Channels;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import dev.weft.tck.FaultConformanceTest;
import dev.weft.tck.RuntimeConformanceTest;
import dev.weft.tck.SyncConformanceTest;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A runtime written outside Weft, in a project that has only Weft's published artifacts, passes
 * the conformance kit as the kit's README tells a third party to run it (issue 16): a subclass
 * per suite.
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
     * (here this project's own classes) keeps its frames. AbstractRuntime used to register every
     * subclass's code source as a library, and a dump then hid the user's lines.
     */
    @Test
    void userFramesBesideAThirdPartyRuntimeStayInTaskDumps() {
        ExecutorRuntime.over("beside", Executors.newSingleThreadExecutor()).close();
        try (Runtime rt = Runtimes.multiThreadBuilder().name("dumped").workers(1).build()) {
            Channel<String> empty = Channels.mpsc(1);
            Task<String> stuck = rt.spawn("stuck-in-user-code", () -> empty.receiver().recv());
            String dump = awaitDump("'stuck-in-user-code' sequential IDLE");
            assertThat(dump).containsPattern("at com\\.example\\.weftapp\\.ExecutorRuntimeConformanceTest\\.lambda\\$");
            stuck.cancel();
        }
    }

    /**
     * A task spawned onto this runtime from a task of another runtime runs on this runtime's
     * threads, not the spawner's: a plain Thread.ofVirtual() would take the parent's carrier (a Weft
     * worker here) and stop running when that runtime closes. Carriers.jdkScheduled does not.
     */
    @Test
    void aTaskSpawnedFromAnotherRuntimesTaskOutlivesThatRuntime() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        try (ExecutorRuntime mine = ExecutorRuntime.over("outliving", Executors.newFixedThreadPool(1))) {
            try (Runtime other = Runtimes.currentThread("spawner")) {
                other.run(() -> mine.spawn(() -> {
                    Weft.sleep(Duration.ofMillis(200));        // still asleep when the spawner closes
                    done.countDown();
                }));
            }
            assertThat(done.await(10, TimeUnit.SECONDS))
                    .as("the task ran on after the runtime that spawned it closed")
                    .isTrue();
        }
    }

    private static String awaitDump(String expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String dump = Weft.dump();
        while (!dump.contains(expected) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            dump = Weft.dump();
        }
        return dump;
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

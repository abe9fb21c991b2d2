package dev.weft.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.CancelledException;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.TaskFailedException;
import dev.weft.TaskLocal;
import dev.weft.TimedOutException;
import dev.weft.Waker;
import dev.weft.Weft;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every runtime must do. Each runtime's test class extends this one and supplies
 * {@link #newRuntime()}; the same assertions prove that code written against {@link Weft} runs
 * unchanged on each.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class RuntimeConformanceTest extends RuntimeSuite {
    // ------------------------------------------------------------------ basics

    @Test
    void sequentialAndPollTasksReturnTheirValues() {
        int v = rt.run(() -> {
            Task<Integer> seq = Weft.spawn(() -> 20);
            Task<Integer> poll = Weft.spawnFuture(Future.ready(22));
            assertThat(seq.kind()).isEqualTo(Task.Kind.SEQUENTIAL);
            assertThat(poll.kind()).isEqualTo(Task.Kind.POLL);
            return seq.join() + poll.join();
        });
        assertThat(v).isEqualTo(42);
    }

    @Test
    void blockOnRunsAFutureToCompletion() {
        int v = rt.blockOn(Future.ready(5).map(x -> x * 2));
        assertThat(v).isEqualTo(10);
    }

    @Test
    void taskHandleHasIdentityAndCounters() {
        Task<String> t = rt.run(() -> {
            Task<String> child = Weft.spawn("worker", () -> {
                Weft.sleep(Duration.ofMillis(2));
                return "done";
            });
            child.join();
            return child;
        });
        assertThat(t.name()).isEqualTo("worker");
        assertThat(t.id()).isPositive();
        assertThat(t.state()).isEqualTo(Task.State.DONE);
        assertThat(t.polls()).isGreaterThanOrEqualTo(2);
        assertThat(t.wakes()).isGreaterThanOrEqualTo(1);
        assertThat(t.runtime()).isSameAs(rt);
    }

    @Test
    void aFailingBodySurfacesAsTaskFailedExceptionWithTheCause() {
        Task<Object> t = rt.run(() -> {
            Task<Object> child = Weft.spawn(() -> {
                throw new IOException("disk on fire");
            });
            while (!child.isDone()) {
                Weft.sleep(Duration.ofMillis(1));
            }
            return child;
        });
        assertThatThrownBy(t::join)
                .isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("disk on fire")
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void aPollThatThrowsFailsItsTask() {
        assertThatThrownBy(() -> rt.blockOn(cx -> {
            throw new IllegalArgumentException("bad frame");
        })).isInstanceOf(TaskFailedException.class).hasRootCauseMessage("bad frame");
    }

    // ------------------------------------------------------------------ the current runtime

    @Test
    void currentRuntimeIsFoundInNestedTasks() {
        List<Runtime> seen = rt.run(() -> {
            List<Runtime> found = new ArrayList<>();
            found.add(Runtime.current());
            found.add(Weft.spawn(() -> Weft.spawn(Runtime::current).join()).join());
            found.add(Weft.spawnFuture(cx -> Poll.ready(Runtime.current())).join());
            return found;
        });
        assertThat(seen).containsOnly(rt).hasSize(3);
    }

    @Test
    void aPlainVirtualThreadStartedInATaskRunsOnTheTasksRuntime() {
        AtomicReference<Runtime> seen = new AtomicReference<>();
        AtomicReference<Integer> slept = new AtomicReference<>();
        rt.run(() -> {
            Thread t = Thread.ofVirtual().start(() -> {
                seen.set(Runtime.current());
                Weft.sleep(Duration.ofMillis(3));
                slept.set(Weft.spawn(() -> 7).join());
            });
            while (t.isAlive()) {
                Weft.sleep(Duration.ofMillis(1));
            }
        });
        assertThat(seen.get()).isSameAs(rt);
        assertThat(slept.get()).isEqualTo(7);
    }

    @Test
    void aPlatformThreadStartedInATaskIsNotPartOfTheRuntime() throws Exception {
        AtomicReference<Throwable> error = new AtomicReference<>();
        rt.run(() -> {
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    Runtime.current();
                } catch (Throwable e) {
                    error.set(e);
                }
            });
            while (t.isAlive()) {
                Weft.sleep(Duration.ofMillis(1));
            }
        });
        assertThat(error.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No Weft runtime")
                .hasMessageContaining("Weft.run");
    }

    // ------------------------------------------------------------------ timers

    @Test
    void sleepWaitsAtLeastItsDuration() {
        long elapsed = rt.run(() -> {
            long start = System.nanoTime();
            Weft.sleep(Duration.ofMillis(30));
            return System.nanoTime() - start;
        });
        assertThat(elapsed).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
    }

    @Test
    void sleepingTasksWakeInDeadlineOrder() {
        List<Integer> order = rt.run(() -> {
            java.util.Queue<Integer> woke = new java.util.concurrent.ConcurrentLinkedQueue<>();   // no monitor (decision 12)
            List<Task<Void>> tasks = new ArrayList<>();
            for (int ms : new int[] {40, 10, 30, 20}) {
                tasks.add(Weft.spawn(() -> {
                    Weft.sleep(Duration.ofMillis(ms));
                    woke.add(ms);
                }));
            }
            tasks.forEach(Task::join);
            return List.copyOf(woke);
        });
        assertThat(order).containsExactly(10, 20, 30, 40);
    }

    // ------------------------------------------------------------------ wakers

    @Test
    void aWakeBeforeReturningPendingCausesAnotherPoll() {
        AtomicInteger polls = new AtomicInteger();
        int result = rt.blockOn(cx -> {
            if (polls.incrementAndGet() < 3) {
                cx.waker().wake();       // wake first, then answer pending
                return Poll.pending();
            }
            return Poll.ready(polls.get());
        });
        assertThat(result).isEqualTo(3);
    }

    @Test
    void aWakeFromAnotherThreadAfterPendingCausesAPoll() {
        AtomicReference<Waker> stored = new AtomicReference<>();
        AtomicBoolean fired = new AtomicBoolean();
        Thread.ofPlatform().start(() -> {
            while (stored.get() == null) {
                Thread.onSpinWait();
            }
            sleepQuietly(5);
            fired.set(true);
            stored.get().wake();
        });
        String r = rt.blockOn(cx -> {
            if (fired.get()) {
                return Poll.ready("woken");
            }
            stored.set(cx.waker());
            return Poll.pending();
        });
        assertThat(r).isEqualTo("woken");
    }

    @Test
    void twoWakesCauseOnePollAndAWakeAfterCompletionIsHarmless() {
        AtomicInteger polls = new AtomicInteger();
        AtomicReference<Waker> stored = new AtomicReference<>();
        Task<Integer> task = rt.run(() -> {
            Task<Integer> t = Weft.spawnFuture(cx -> {
                int n = polls.incrementAndGet();
                stored.set(cx.waker());
                return n >= 2 ? Poll.ready(n) : Poll.pending();
            });
            while (stored.get() == null) {
                Weft.yieldNow();
            }
            Waker w = stored.get();
            w.wake();
            w.wake();                   // idempotent: still one more poll
            int value = t.join();
            w.wake();                   // after completion: nothing happens
            Weft.sleep(Duration.ofMillis(5));
            return t;
        });
        assertThat(task.join()).isEqualTo(2);
        assertThat(polls.get()).isEqualTo(2);
        assertThat(task.wakes()).isGreaterThanOrEqualTo(2);
    }

    // ------------------------------------------------------------------ cancellation

    @Test
    void cancellingASequentialTaskRunsItsFinallyBlocks() {
        AtomicBoolean finallyRan = new AtomicBoolean();
        AtomicBoolean reachedEnd = new AtomicBoolean();
        CountDownLatch parked = new CountDownLatch(1);
        Task<Void> t = rt.run(() -> {
            Task<Void> child = Weft.spawn(() -> {
                try {
                    parked.countDown();
                    Weft.sleep(Duration.ofHours(1));
                    reachedEnd.set(true);
                } finally {
                    finallyRan.set(true);
                }
            });
            Weft.await(Future.sleep(Duration.ofMillis(5)));
            child.cancel();
            assertThatThrownBy(child::join).isInstanceOf(CancelledException.class);
            return child;
        });
        assertThat(finallyRan).isTrue();
        assertThat(reachedEnd).isFalse();
        assertThat(t.isCancelled()).isTrue();
        assertThat(t.state()).isEqualTo(Task.State.DONE);
    }

    @Test
    void shieldedCleanupCanItselfAwaitAfterCancellation() {
        java.util.Queue<String> log = new java.util.concurrent.ConcurrentLinkedQueue<>();
        rt.run(() -> {
            Task<Void> child = Weft.spawn(() -> {
                try {
                    Weft.sleep(Duration.ofHours(1));
                } finally {
                    Weft.shielded(() -> {
                        Weft.sleep(Duration.ofMillis(10));        // would throw if not shielded
                        log.add("flushed");
                    });
                    try {
                        Weft.sleep(Duration.ofMillis(1));         // outside the shield: cancelled again
                        log.add("not reached");
                    } catch (CancelledException expected) {
                        log.add("cancelled after shield");
                    }
                }
            });
            Weft.sleep(Duration.ofMillis(5));
            child.cancel();
            assertThatThrownBy(child::join).isInstanceOf(CancelledException.class);
        });
        assertThat(log).containsExactly("flushed", "cancelled after shield");
    }

    @Test
    void cancellingAPollTaskStopsPollingAndRunsItsCleanupHook() {
        AtomicInteger polls = new AtomicInteger();
        AtomicBoolean cleaned = new AtomicBoolean();
        Future<Void> forever = new Future<>() {
            @Override
            public Poll<Void> poll(Context cx) {
                polls.incrementAndGet();
                return Poll.pending();
            }

            @Override
            public void drop() {
                cleaned.set(true);
            }
        };
        rt.run(() -> {
            Task<Void> t = Weft.spawnFuture(forever);
            Weft.sleep(Duration.ofMillis(5));
            t.cancel();
            assertThatThrownBy(t::join).isInstanceOf(CancelledException.class);
            int after = polls.get();
            Weft.sleep(Duration.ofMillis(5));
            assertThat(polls.get()).isEqualTo(after);
        });
        assertThat(cleaned).isTrue();
        assertThat(polls.get()).isEqualTo(1);
    }

    @Test
    void timeoutCancelsTheBodyRunsItsFinallyAndThrows() {
        AtomicBoolean finallyRan = new AtomicBoolean();
        rt.run(() -> {
            assertThatThrownBy(() -> Weft.timeout(Duration.ofMillis(10), () -> {
                try {
                    Weft.sleep(Duration.ofHours(1));
                    return "late";
                } finally {
                    finallyRan.set(true);
                }
            })).isInstanceOf(TimedOutException.class);
            assertThat(finallyRan).isTrue();
            assertThat(Weft.timeout(Duration.ofSeconds(10), () -> "fast")).isEqualTo("fast");
        });
    }

    @Test
    void futureTimeoutCancelsTheInnerFuture() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Future<String> slow = new Future<>() {
            @Override
            public Poll<String> poll(Context cx) {
                return Poll.pending();
            }

            @Override
            public void drop() {
                cancelled.set(true);
            }
        };
        assertThatThrownBy(() -> rt.blockOn(slow.timeout(Duration.ofMillis(10))))
                .hasRootCauseInstanceOf(TimedOutException.class);
        assertThat(cancelled).isTrue();
    }

    @Test
    void closeCancelsTasksInFlightAndRejectsNewWork() {
        AtomicBoolean finallyRan = new AtomicBoolean();
        Task<Void> sleeper = rt.run(() -> {
            CountDownLatch started = new CountDownLatch(1);
            Task<Void> t = Weft.spawn(() -> {
                started.countDown();
                try {
                    Weft.sleep(Duration.ofHours(1));
                } finally {
                    finallyRan.set(true);
                }
            });
            while (started.getCount() > 0) {     // the body is running (a task cancelled before it starts never runs it)
                Weft.sleep(Duration.ofMillis(1));
            }
            return t;
        });
        rt.close();
        assertThat(finallyRan).isTrue();
        assertThatThrownBy(sleeper::join).isInstanceOf(CancelledException.class);
        assertThatThrownBy(() -> rt.spawn(() -> 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    // ------------------------------------------------------------------ task-locals

    @Test
    void taskLocalsFollowTheTaskNotTheThread() {
        TaskLocal<String> who = TaskLocal.withInitial(() -> "unset");
        List<String> seen = rt.run(() -> {
            Task<List<String>> a = Weft.spawnFuture(new Future<>() {
                private final List<String> log = new ArrayList<>();
                private int step;

                @Override
                public Poll<List<String>> poll(Context cx) {
                    if (step == 0) {
                        log.add(who.get());
                        who.set("A");
                    } else {
                        log.add(who.get());
                    }
                    if (++step < 4) {
                        cx.waker().wake();
                        return Poll.pending();
                    }
                    return Poll.ready(log);
                }
            });
            Task<String> b = Weft.spawn(() -> {
                who.set("B");
                Weft.sleep(Duration.ofMillis(2));
                return who.get();
            });
            List<String> out = new ArrayList<>(a.join());
            out.add(b.join());
            out.add(who.get());
            return out;
        });
        assertThat(seen).containsExactly("unset", "A", "A", "A", "B", "unset");
    }

    @Test
    void anInterruptedBlockOnCancelsItsTaskRunsItsCleanupAndThrows() throws Exception {
        // A future that never completes; its cancel() is its cleanup.
        AtomicBoolean cleanedUp = new AtomicBoolean();
        AtomicBoolean pollStarted = new AtomicBoolean();
        Future<Integer> never = new Future<>() {
            @Override
            public Poll<Integer> poll(Context cx) {
                pollStarted.set(true);
                return Poll.pending();
            }

            @Override
            public void drop() {
                cleanedUp.set(true);
            }
        };
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                rt.blockOn(never);
            } catch (Throwable t) {
                thrown.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!pollStarted.get() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        caller.interrupt();
        caller.join(TimeUnit.SECONDS.toMillis(5));
        assertThat(caller.isAlive()).as("blockOn still waiting 5 s after its thread was interrupted").isFalse();
        assertThat(thrown.get()).isInstanceOf(CancelledException.class).hasMessageContaining("interrupted");
        assertThat(stillInterrupted.get()).as("the interrupt status is kept").isTrue();
        // (the multi-thread and JDK runtimes run the cleanup on a worker, after the throw)
        long cleanupDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!cleanedUp.get() && System.nanoTime() < cleanupDeadline) {
            Thread.sleep(1);
        }
        assertThat(cleanedUp.get()).as("the task's future was cancelled (its cleanup ran)").isTrue();
    }

    static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

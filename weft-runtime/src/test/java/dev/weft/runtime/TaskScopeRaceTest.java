package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.TaskFailedException;
import dev.weft.TaskScope;
import dev.weft.Weft;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TaskScope under races with its own close and with failing children, on the multi-thread runtime (issue 12). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TaskScopeRaceTest {
    private final Runtime rt = Runtimes.multiThreadBuilder().name("scope-race").workers(2).build();

    @AfterEach
    void close() {
        rt.close();
    }

    @Test
    void aGrandchildSpawnedWhileTheScopeClosesIsCancelledOrRefused() {
        for (int round = 0; round < 100; round++) {
            List<Task<?>> grandchildren = new CopyOnWriteArrayList<>();
            rt.run(() -> {
                try (var scope = TaskScope.open()) {
                    scope.spawn(() -> {
                        try {
                            while (true) {      // keeps spawning into its own scope until refused or cancelled
                                grandchildren.add(scope.spawn(() -> {
                                    Weft.sleep(Duration.ofDays(1));
                                    return null;
                                }));
                                Thread.yield();     // a virtual thread: lets the owner run its close
                            }
                        } catch (IllegalStateException refused) {
                            return null;
                        }
                    });
                    Weft.sleep(Duration.ofMillis(1));
                }   // close: must cancel every grandchild, including one registered during close
                return null;
            });
            for (Task<?> g : grandchildren) {
                assertThat(g.isDone()).as("grandchild %s outlived its scope", g).isTrue();
            }
        }
    }

    @Test
    void aScopeJoinNeverReturnsNormallyAfterAChildFailed() {
        for (int round = 0; round < 2_000; round++) {
            boolean failedButJoinReturned = rt.run(() -> {
                try (var scope = TaskScope.open()) {
                    scope.spawn(() -> {
                        throw new IllegalStateException("child failed");
                    });
                    try {
                        scope.join();
                    } catch (TaskFailedException expected) {
                        return false;
                    }
                    return scope.isFailed();    // join returned normally: it must not have failed
                } catch (TaskFailedException fromClose) {
                    return false;
                }
            });
            assertThat(failedButJoinReturned).as("round %d: join() returned normally in a failed scope", round).isFalse();
        }
    }

    @Test
    void laterFailuresInAFailedScopeAreKeptAsSuppressed() {
        int suppressed = rt.run(() -> {
            var scope = TaskScope.open();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < 8; i++) {
                int n = i;
                scope.spawn(() -> {
                    try {
                        go.await();         // all fail at once; a sibling cancelled meanwhile still fails
                    } finally {
                        throw new IllegalStateException("child " + n);
                    }
                });
            }
            Weft.sleep(Duration.ofMillis(5));
            go.countDown();
            try {
                scope.join();       // waits for every child, then throws the scope's failure
                return -1;
            } catch (TaskFailedException e) {
                return e.getSuppressed().length;
            } finally {
                scope.close();
            }
        });
        assertThat(suppressed).as("the 7 failures after the first").isEqualTo(7);
    }

    @Test
    void aChildThatFailsWhileCloseWaitsForItIsNeverLost() {
        // Found by ./weft chaos: close() waited for a child by polling it as a future, which
        // delivered (used up) the scope's failure when the child failed just then; close() then
        // returned normally in a failed scope.
        int lost = rt.run(() -> {
            int missed = 0;
            for (int i = 0; i < 50_000; i++) {
                int spins = i % 300;
                java.util.concurrent.atomic.AtomicBoolean threw = new java.util.concurrent.atomic.AtomicBoolean();
                boolean saw = false;
                TaskScope scope = TaskScope.open();
                try {
                    scope.spawnFuture(cx -> {
                        for (int k = 0; k < spins; k++) {
                            Thread.onSpinWait();
                        }
                        threw.set(true);
                        throw new IllegalStateException("child failed");
                    });
                    for (int k = 0; k < i % 3; k++) {
                        Weft.yieldNow();
                    }
                } finally {
                    try {
                        scope.close();
                    } catch (TaskFailedException e) {
                        saw = true;
                    }
                }
                if (threw.get() && !saw) {
                    missed++;
                }
            }
            return missed;
        });
        assertThat(lost).as("rounds in which a child failed and the owner's close() returned normally").isZero();
    }
}

package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.CancelledException;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.TaskFailedException;
import dev.weft.TaskScope;
import dev.weft.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TaskScopeTest {
    private final Runtime rt = Runtimes.currentThread("scope");

    @AfterEach
    void close() {
        rt.close();
    }

    @Test
    void childrenThatSucceedGiveTheirValues() {
        int sum = rt.run(() -> {
            try (var scope = TaskScope.open()) {
                Task<Integer> a = scope.spawn(() -> 1);
                Task<Integer> b = scope.spawn(() -> {
                    Weft.sleep(Duration.ofMillis(3));
                    return 2;
                });
                return a.join() + b.join();
            }
        });
        assertThat(sum).isEqualTo(3);
    }

    @Test
    void aFailingChildCancelsItsSiblingsAndTheFailureIsThrownFromTheJoin() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        rt.run(() -> {
            try (var scope = TaskScope.open()) {
                Task<String> slow = scope.spawn(() -> {
                    try {
                        Weft.sleep(Duration.ofHours(1));
                        return "never";
                    } finally {
                        log.add("slow cleaned up");
                    }
                });
                scope.spawn(() -> {
                    Weft.sleep(Duration.ofMillis(5));
                    throw new IllegalStateException("fetch failed");
                });
                scope.spawn(() -> {
                    // Shielded, so the first failure's cancellation cannot stop it failing too.
                    Weft.shielded(() -> Weft.sleep(Duration.ofMillis(15)));
                    throw new IllegalArgumentException("second failure");
                });
                slow.join();      // the sibling's failure surfaces here
                log.add("not reached");
            } catch (TaskFailedException e) {
                thrown.set(e);
            }
        });
        assertThat(log).containsExactly("slow cleaned up");
        Throwable e = thrown.get();
        assertThat(e).isInstanceOf(TaskFailedException.class).hasMessageContaining("fetch failed");
        assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
        assertThat(e.getSuppressed()).hasSize(1);
        assertThat(e.getSuppressed()[0]).isInstanceOf(IllegalArgumentException.class).hasMessage("second failure");
    }

    @Test
    void aFailureNotJoinedIsThrownFromClose() {
        assertThatThrownBy(() -> rt.run(() -> {
            try (var scope = TaskScope.open()) {
                scope.spawn(() -> {
                    throw new IllegalStateException("boom");
                });
                Weft.sleep(Duration.ofMillis(10));
            }
        })).isInstanceOf(TaskFailedException.class).hasRootCauseMessage("boom");
    }

    @Test
    void leavingTheScopeCancelsAndAwaitsChildrenStillRunning() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        rt.run(() -> {
            Task<Void> orphan;
            try (var scope = TaskScope.open()) {
                orphan = scope.spawn(() -> {
                    try {
                        Weft.sleep(Duration.ofHours(1));
                    } finally {
                        Weft.shielded(() -> Weft.sleep(Duration.ofMillis(5)));
                        log.add("child finished cleanup");
                    }
                });
                Weft.sleep(Duration.ofMillis(2));
            }
            log.add("scope closed");
            assertThat(orphan.isDone()).isTrue();
            assertThat(orphan.isCancelled()).isTrue();
        });
        assertThat(log).containsExactly("child finished cleanup", "scope closed");
    }

    @Test
    void cancellingTheOwnerCancelsTheChildren() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        rt.run(() -> {
            Task<Void> owner = Weft.spawn(() -> {
                try (var scope = TaskScope.open()) {
                    scope.spawn(() -> {
                        try {
                            Weft.sleep(Duration.ofHours(1));
                        } finally {
                            log.add("child cancelled");
                        }
                    });
                    Weft.sleep(Duration.ofHours(1));
                } finally {
                    log.add("owner left scope");
                }
            });
            Weft.sleep(Duration.ofMillis(5));
            owner.cancel();
            assertThatThrownBy(owner::join).isInstanceOf(CancelledException.class);
        });
        assertThat(log).containsExactly("child cancelled", "owner left scope");
    }

    @Test
    void aChildsOwnCancellationIsNotAScopeFailure() {
        String r = rt.run(() -> {
            try (var scope = TaskScope.open()) {
                Task<String> a = scope.spawn(() -> {
                    Weft.sleep(Duration.ofHours(1));
                    return "never";
                });
                Task<String> b = scope.spawn(() -> "b");
                a.cancel();
                assertThatThrownBy(a::join).isInstanceOf(CancelledException.class);
                assertThat(scope.isFailed()).isFalse();
                return b.join();
            }
        });
        assertThat(r).isEqualTo("b");
    }

    @Test
    void spawningAfterTheScopeClosedIsAClearError() {
        rt.run(() -> {
            TaskScope scope = TaskScope.open();
            scope.close();
            assertThatThrownBy(() -> scope.spawn(() -> 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("TaskScope is closed");
        });
    }

    /** Issue 18, fault 1: a task outside the scope that joins a failed child does not use up the owner's failure. */
    @Test
    void aJoinFromOutsideTheScopeLeavesTheFailureForTheOwnersClose() {
        java.util.concurrent.atomic.AtomicReference<Throwable> outsiderSaw = new java.util.concurrent.atomic.AtomicReference<>();
        Throwable ownerGot = org.assertj.core.api.Assertions.catchThrowable(() -> Weft.run(() -> {
            try (TaskScope scope = TaskScope.open()) {
                Task<Object> failing = scope.spawn("failing", () -> {
                    throw new IllegalStateException("boom");
                });
                Weft.spawn("outsider", () -> {
                    try {
                        failing.join();
                    } catch (RuntimeException e) {
                        outsiderSaw.set(e);
                    }
                }).join();
            }
            return "closed normally";
        }));
        assertThat(outsiderSaw.get()).isInstanceOf(TaskFailedException.class).hasRootCauseMessage("boom");
        assertThat(ownerGot).as("the owner's close still throws the scope's failure")
                .isInstanceOf(TaskFailedException.class).hasRootCauseMessage("boom");
    }

    /**
     * Issue 18, fault 1: the owner gets a child's failure once, from its join or from close(),
     * never from both, however the join races the child's completion.
     */
    @Test
    void theOwnerGetsAChildsFailureExactlyOnce() {
        for (int round = 0; round < 300; round++) {
            java.util.concurrent.atomic.AtomicInteger deliveries = new java.util.concurrent.atomic.AtomicInteger();
            try {
                Weft.run(() -> {
                    try (TaskScope scope = TaskScope.open()) {
                        Task<Object> child = scope.spawn(() -> {
                            throw new IllegalStateException("boom");
                        });
                        try {
                            child.join();
                        } catch (TaskFailedException e) {
                            deliveries.incrementAndGet();
                        }
                    }
                    return null;
                });
            } catch (TaskFailedException e) {
                deliveries.incrementAndGet();
            }
            assertThat(deliveries).as("round %d: delivered once", round).hasValue(1);
        }
    }
}

package dev.weft.bench.chaos;

import dev.weft.CancelledException;
import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.TaskFailedException;
import dev.weft.TaskScope;
import dev.weft.TimedOutException;
import dev.weft.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Operations on tasks: spawning every kind, cancelling at random moments, nested scopes,
 * timeouts. Each runs in an actor (a sequential task on the main runtime) and waits only through
 * {@link Ledger#join} or a {@link Joins}-registered wait, so nothing waits unbounded unnoticed.
 */
final class TaskOps {
    private TaskOps() { }

    /** A task of a random kind (sequential, poll, blocking) with a random body. */
    static Tracked spawnAny(World w, SplittableRandom rnd, String what) {
        SplittableRandom r = rnd.split();
        Runtime rt = Runtime.current();
        return switch (rnd.nextInt(3)) {
            case 0 -> w.ledger.spawn(rt, what + "/seq", Jobs.sequential(w, r, false));
            case 1 -> w.ledger.spawnFuture(rt, what + "/poll", Jobs.poll(w, r, false));
            default -> w.ledger.spawnBlocking(rt, what + "/blocking", Jobs.blocking(w, r));
        };
    }

    /** Cancels {@code victim} now, after a pause, or from another task later, or not at all. */
    static void maybeCancel(World w, SplittableRandom rnd, Tracked victim, int oneIn) {
        if (rnd.nextInt(oneIn) != 0) {
            return;
        }
        switch (rnd.nextInt(3)) {
            case 0 -> victim.task().cancel();
            case 1 -> {
                World.pause(rnd, 1_000);
                victim.task().cancel();
            }
            default -> cancelLater(w, rnd, victim);
        }
    }

    /** A (detached, tracked) task that cancels {@code victim} after 0–2 ms. */
    static void cancelLater(World w, SplittableRandom rnd, Tracked victim) {
        Duration d = World.micros(rnd, 2_000);
        w.ledger.spawn(Runtime.current(), "canceller", () -> {
            Weft.sleep(d);
            victim.task().cancel();
            return null;
        });
    }

    /** 1–8 tasks of random kinds, some cancelled at random moments, most joined, some left detached. */
    static void spawnMix(World w, SplittableRandom rnd) {
        int n = 1 + rnd.nextInt(8);
        List<Tracked> kids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            kids.add(spawnAny(w, rnd, "spawn-mix"));
        }
        for (Tracked k : kids) {
            maybeCancel(w, rnd, k, 3);
        }
        for (Tracked k : kids) {
            if (rnd.nextInt(8) != 0) {
                w.ledger.join(k);
            }
        }
    }

    // ------------------------------------------------------------------ scopes

    /** Nested scopes whose children never fail (plain bodies, nested scopes, random cancels). */
    static void scopes(World w, SplittableRandom rnd) {
        scopeTree(w, rnd, 0, false);
    }

    /** Nested scopes where some children fail with an injected exception. */
    static void scopeFailures(World w, SplittableRandom rnd) {
        scopeTree(w, rnd, 0, true);
    }

    /**
     * A TaskScope with random children (plain ones, failing ones if {@code failures}, nested scopes up to depth 3),
     * a random child cancelled, some children joined, then closed. {@code scope-failures}: the
     * owner sees the scope's failure (from a join, {@code scope.join()} or {@code close()}) if and
     * only if a child failed, and {@code close()} never throws a failure a join already threw.
     */
    static void scopeTree(World w, SplittableRandom rnd, int depth, boolean failures) {
        AtomicBoolean childFailed = new AtomicBoolean();
        List<Throwable> seen = new ArrayList<>();
        Throwable closeThrew = null;
        List<Tracked> kids = new ArrayList<>();
        TaskScope scope = TaskScope.open();
        try {
            int n = 1 + rnd.nextInt(5);
            for (int i = 0; i < n; i++) {
                SplittableRandom r = rnd.split();
                long id = w.nextId();
                int choice = rnd.nextInt(depth < 3 ? 7 : 6);
                if (!failures && (choice == 4 || choice == 5)) {
                    choice = 0;
                }
                switch (choice) {
                    case 0, 1 -> kids.add(w.ledger.spawnIn(scope, "scope/seq", Jobs.sequential(w, r, true)));
                    case 2, 3 -> kids.add(w.ledger.spawnFutureIn(scope, "scope/poll", Jobs.poll(w, r, true)));
                    case 4 -> {
                        Duration d = World.micros(r, 1_000);
                        kids.add(w.ledger.spawnIn(scope, "scope/failing-seq", () -> {
                            Weft.sleep(d);
                            childFailed.set(true);
                            throw new Injected(Injected.Kind.BODY, id);
                        }));
                    }
                    case 5 -> kids.add(w.ledger.spawnFutureIn(scope, "scope/failing-poll",
                            Yields.failing(r.nextInt(4), new Injected(Injected.Kind.BODY, id), () -> childFailed.set(true))));
                    default -> kids.add(w.ledger.spawnIn(scope, "scope/nested", () -> {
                        scopeTree(w, r, depth + 1, failures);
                        return null;
                    }));
                }
            }
            if (!kids.isEmpty() && rnd.nextInt(3) == 0) {
                World.pause(rnd, 500);
                kids.get(rnd.nextInt(kids.size())).task().cancel();
            }
            for (Tracked k : kids) {
                if (rnd.nextBoolean()) {
                    long token = w.joins.begin("join of " + k.what());
                    try {
                        k.task().join();
                    } catch (TaskFailedException e) {
                        seen.add(e);
                    } catch (CancelledException e) {
                        Weft.checkCancelled();       // ours: propagate; else the child was cancelled
                    } finally {
                        w.joins.end(token);
                    }
                }
            }
            if (rnd.nextInt(3) == 0) {
                long token = w.joins.begin("TaskScope.join");
                try {
                    scope.join();
                } catch (TaskFailedException e) {
                    seen.add(e);
                } finally {
                    w.joins.end(token);
                }
            }
        } finally {
            long token = w.joins.begin("TaskScope.close");
            try {
                scope.close();
            } catch (TaskFailedException e) {
                closeThrew = e;
            } finally {
                w.joins.end(token);
                w.ledger.scopeClosed(kids);
            }
        }
        boolean failed = childFailed.get();
        boolean sawFailure = !seen.isEmpty() || closeThrew != null;
        Throwable closed = closeThrew;
        boolean closeRepeated = closed != null && seen.stream().anyMatch(e -> e == closed);
        boolean allInjected = seen.stream().allMatch(Injected::inChain) && (closed == null || Injected.inChain(closed));
        w.scopes.check(failed == sawFailure && !closeRepeated && allInjected, () -> "scope at depth " + depth + ": a child "
                + (failed ? "failed" : "did not fail") + ", the owner saw " + seen.size() + " failures from joins and "
                + (closed == null ? "none" : "one (" + closed + ")") + " from close()"
                + (closeRepeated ? "; close() threw the failure a join had already thrown" : "")
                + (allInjected ? "" : "; a failure not caused by an injected exception: " + seen));
    }

    // ------------------------------------------------------------------ cancellation

    /**
     * 3–14 tasks that would wait forever (awaiting a future that never completes, a poll future
     * that never completes, a long sleep, a blocking sleep), every one cancelled at a random
     * moment, in random order, by the actor and by a canceller task at once, then all joined.
     */
    static void cancelStorm(World w, SplittableRandom rnd) {
        int n = 3 + rnd.nextInt(12);
        Runtime rt = Runtime.current();
        List<Tracked> kids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(5)) {
                case 0 -> kids.add(w.ledger.spawn(rt, "storm/await-never", () -> Weft.await(Future.never())));
                case 1 -> kids.add(w.ledger.spawnFuture(rt, "storm/poll-never", Future.never()));
                case 2 -> kids.add(w.ledger.spawn(rt, "storm/sleep", () -> {
                    Weft.sleep(Duration.ofSeconds(30));
                    return null;
                }));
                case 3 -> kids.add(w.ledger.spawnBlocking(rt, "storm/blocking-sleep", () -> {
                    Thread.sleep(30_000);
                    return null;
                }));
                default -> kids.add(w.ledger.spawn(rt, "storm/shielded-then-await", () -> {
                    Weft.shielded(() -> Weft.sleep(Duration.ofMillis(1)));
                    return Weft.await(Future.never());
                }));
            }
        }
        List<Tracked> order = new ArrayList<>(kids);
        shuffle(order, rnd);
        List<Tracked> half = List.copyOf(order.subList(0, order.size() / 2));
        Duration step = World.micros(rnd, 300);
        Tracked canceller = w.ledger.spawn(rt, "storm/canceller", () -> {
            for (Tracked k : half) {
                Weft.sleep(step);
                k.task().cancel();
            }
            return null;
        });
        for (Tracked k : order) {
            World.pause(rnd, 300);
            k.task().cancel();
        }
        w.ledger.join(canceller);
        for (Tracked k : kids) {
            w.ledger.join(k);
        }
    }

    // ------------------------------------------------------------------ timeouts

    static void timeouts(World w, SplittableRandom rnd) {
        switch (rnd.nextInt(4)) {
            case 0, 1 -> weftTimeout(w, rnd);
            case 2 -> {
                Duration work = World.micros(rnd, 3_000);
                Duration limit = World.micros(rnd, 3_000);
                long token = w.joins.begin("Future.timeout");
                try {
                    Weft.await(Future.sleep(work).timeout(limit));
                } catch (TimedOutException expected) {
                    // the deadline won
                } finally {
                    w.joins.end(token);
                }
            }
            default -> {
                // Waiting with a deadline is not owning: the task runs on when the wait times out.
                Tracked t = spawnAny(w, rnd, "timed-wait");
                Duration limit = World.micros(rnd, 2_000);
                long token = w.joins.begin("Task.timeout");
                boolean timedOut = false;
                try {
                    Weft.await(t.task().timeout(limit));
                } catch (TimedOutException e) {
                    timedOut = true;
                } catch (TaskFailedException | CancelledException e) {
                    Weft.checkCancelled();
                } finally {
                    w.joins.end(token);
                }
                if (timedOut) {
                    w.outcomes.check(!t.task().isCancelled(), () -> t + " was cancelled because a wait for it timed out");
                }
                w.ledger.join(t);
            }
        }
    }

    /**
     * {@code Weft.timeout(limit, body)}: the body sleeps, may throw, and has cleanup that may
     * itself wait (shielded). {@code timeout-cleanup}: when it throws {@link TimedOutException},
     * the body's {@code finally} has run (if the body started at all).
     */
    private static void weftTimeout(World w, SplittableRandom rnd) {
        Duration limit = World.micros(rnd, 3_000);
        Duration work = World.micros(rnd, 3_000);
        boolean throwIt = rnd.nextInt(5) == 0;
        boolean waitingCleanup = rnd.nextBoolean();
        long id = w.nextId();
        World.Token value = w.token();
        AtomicBoolean started = new AtomicBoolean();
        AtomicBoolean cleaned = new AtomicBoolean();
        long token = w.joins.begin("Weft.timeout");
        try {
            Object v = Weft.timeout(limit, () -> {
                started.set(true);
                try {
                    Weft.sleep(work);
                    if (throwIt) {
                        throw new Injected(Injected.Kind.BODY, id);
                    }
                    return value;
                } finally {
                    if (waitingCleanup) {
                        Weft.shielded(() -> Weft.sleep(Duration.ofNanos(work.toNanos() / 3)));
                    }
                    cleaned.set(true);
                }
            });
            w.outcomes.check(v == value && !throwIt, () -> "Weft.timeout returned " + v + " for a body that "
                    + (throwIt ? "threw" : "returned " + value));
        } catch (TimedOutException e) {
            w.timeoutCleanup.check(!started.get() || cleaned.get(),
                    () -> "Weft.timeout threw TimedOutException before its body's finally block had run");
        } catch (TaskFailedException e) {
            w.outcomes.check(throwIt && e.getCause() instanceof Injected inj && inj.id() == id,
                    () -> "Weft.timeout failed with " + e.getCause() + " for a body that " + (throwIt ? "threw #" + id : "did not throw"));
            w.timeoutCleanup.check(cleaned.get(), () -> "Weft.timeout threw the body's failure before its finally block had run");
        } finally {
            w.joins.end(token);
        }
    }

    /** {@code select(Weft.async(body), sleep)}: the losing async future's task is cancelled by the drop. */
    static void asyncSelect(World w, SplittableRandom rnd) {
        Duration work = World.micros(rnd, 2_000);
        Duration limit = World.micros(rnd, 2_000);
        World.Token value = w.token();
        long token = w.joins.begin("select(Weft.async, sleep)");
        try {
            Either<Object, Void> r = Weft.select(Weft.async(() -> {
                Weft.sleep(work);
                return value;
            }), Weft.sleepFuture(limit));
            if (r instanceof Either.First<Object, Void>(Object v)) {
                w.outcomes.check(v == value, () -> "Weft.async gave " + v + " instead of " + value);
            }
        } finally {
            w.joins.end(token);
        }
    }

    static <T> void shuffle(List<T> list, SplittableRandom rnd) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    /** Waits for a task from a platform thread (no runtime): true if it finished within {@code bound}. */
    static boolean awaitDoneFromPlatform(Task<?> task, Duration bound) {
        Thread me = Thread.currentThread();
        if (!task.isDone()) {
            try {
                task.poll(new dev.weft.Context(() -> java.util.concurrent.locks.LockSupport.unpark(me)));
            } catch (RuntimeException finished) {
                return true;
            }
        }
        long deadline = System.nanoTime() + bound.toNanos();
        while (!task.isDone()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(task, Math.min(left, 10_000_000));
        }
        return true;
    }
}

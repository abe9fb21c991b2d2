package dev.weft.bench.chaos;

import dev.weft.CancelledException;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.TaskFailedException;
import dev.weft.TaskScope;
import dev.weft.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The chaos run's account of every task it spawns. Two invariants live here:
 * <ul>
 *   <li>{@code tasks-complete-once}: every spawned task completes, and exactly once. Each task
 *       gets a {@link Tracked} watcher registered as a waiter on its handle, which its completion
 *       wakes; a second wake, a wake before the task is done, a body that ends twice, or a poll
 *       task's future polled after it ended is a violation; at the end, spawned must equal
 *       completed. Children of a {@link TaskScope} are counted when their scope has closed (a
 *       poll of a child of a failed scope would take the scope's failure, changing what its
 *       owner sees).</li>
 *   <li>{@code task-outcomes}: what a join reports agrees with what the body did: a value is the
 *       very object the body returned; a failure's cause is the very exception the body threw (or,
 *       in a failed scope, the scope's failure, caused by an injected exception); a cancellation
 *       is of a task whose cancel was requested and whose body neither returned nor threw
 *       anything but a cancellation.</li>
 * </ul>
 *
 * <p>Thread-safety: lock-free (atomics, {@link LongAdder}, {@link ConcurrentSkipListMap}); used
 * from tasks on Weft workers and virtual threads and from the harness's platform threads.
 */
final class Ledger {
    /** How a joined task ended. */
    enum Outcome { SUCCEEDED, FAILED, CANCELLED }

    private final Runtime main;
    private final Invariant once;
    private final Invariant outcomes;
    private final Joins joins;
    private final AtomicLong ids = new AtomicLong();
    private final LongAdder spawned = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final ConcurrentSkipListMap<Long, Tracked> outstanding = new ConcurrentSkipListMap<>();

    Ledger(Runtime main, Invariant once, Invariant outcomes, Joins joins) {
        this.main = main;
        this.once = once;
        this.outcomes = outcomes;
        this.joins = joins;
    }

    long spawned() {
        return spawned.sum();
    }

    long completed() {
        return completed.sum();
    }

    // ------------------------------------------------------------------ spawning

    /** A sequential task on {@code rt}. */
    <T> Tracked spawn(Runtime rt, String what, Callable<T> body) {
        Tracked t = begin(what, false, rt != main);
        try {
            return watch(t, rt.spawn(what, wrap(t, body)));
        } catch (RuntimeException | Error e) {
            abort(t);
            throw e;
        }
    }

    /** A poll task on {@code rt}. */
    <T> Tracked spawnFuture(Runtime rt, String what, Future<T> future) {
        Tracked t = begin(what, false, rt != main);
        try {
            return watch(t, rt.spawnFuture(what, new TrackedFuture<>(t, future)));
        } catch (RuntimeException | Error e) {
            abort(t);
            throw e;
        }
    }

    /** A call on {@code rt}'s blocking pool. */
    <T> Tracked spawnBlocking(Runtime rt, String what, Callable<T> body) {
        Tracked t = begin(what, false, rt != main);
        try {
            return watch(t, rt.spawnBlocking(wrap(t, body)));
        } catch (RuntimeException | Error e) {
            abort(t);
            throw e;
        }
    }

    /** A sequential child of {@code scope}; counted by {@link #scopeClosed} once the scope has closed. */
    <T> Tracked spawnIn(TaskScope scope, String what, Callable<T> body) {
        Tracked t = begin(what, true, false);
        try {
            t.attach(scope.spawn(what, wrap(t, body)));
            return t;
        } catch (RuntimeException | Error e) {
            abort(t);
            throw e;
        }
    }

    /** A poll child of {@code scope}; counted by {@link #scopeClosed} once the scope has closed. */
    <T> Tracked spawnFutureIn(TaskScope scope, String what, Future<T> future) {
        Tracked t = begin(what, true, false);
        try {
            t.attach(scope.spawnFuture(new TrackedFuture<>(t, future)));
            return t;
        } catch (RuntimeException | Error e) {
            abort(t);
            throw e;
        }
    }

    private Tracked begin(String what, boolean scoped, boolean mayBeAbandoned) {
        Tracked t = new Tracked(this, ids.incrementAndGet(), what, scoped, mayBeAbandoned);
        spawned.increment();
        outstanding.put(t.id(), t);
        return t;
    }

    /** The spawn was refused (a closed runtime or scope): the task never existed for the ledger. */
    private void abort(Tracked t) {
        if (outstanding.remove(t.id()) != null) {
            spawned.decrement();
        }
    }

    private static <T> Callable<T> wrap(Tracked t, Callable<T> body) {
        return () -> {
            T v;
            try {
                v = body.call();
            } catch (Throwable e) {
                t.bodyThrew(e);
                throw e;
            }
            t.bodyReturned(v);
            return v;
        };
    }

    /** Registers the watcher as a waiter on the task's handle (or counts the completion if it is already done). */
    private Tracked watch(Tracked t, Task<?> task) {
        t.attach(task);
        if (task.isDone()) {
            completedOtherwise(t);
            return t;
        }
        try {
            Poll<?> p = task.poll(new Context(t));
            if (p.isReady()) {
                completedOtherwise(t);      // finished between the look and the poll: nothing registered
            }
        } catch (RuntimeException finished) {
            completedOtherwise(t);          // failed or cancelled meanwhile: nothing registered
        }
        return t;
    }

    // ------------------------------------------------------------------ completion

    void watcherWoken(Tracked t, int times) {
        if (times != 1) {
            once.fail(t + " completed " + times + " times (its watcher was woken again)");
            return;
        }
        Task<?> task = t.task();
        if (task != null && !task.isDone()) {
            once.fail(t + ": its completion watcher was woken while the task was not done");
        }
        completed(t);
    }

    private void completedOtherwise(Tracked t) {
        int times = t.completedSeen();
        if (times != 1) {
            once.fail(t + " completed " + times + " times");
            return;
        }
        completed(t);
    }

    private void completed(Tracked t) {
        completed.increment();
        outstanding.remove(t.id());
        once.pass();
    }

    /** Every child of a closed scope must be done: counts their completions. */
    void scopeClosed(List<Tracked> children) {
        for (Tracked t : children) {
            if (t.task().isDone()) {
                completedOtherwise(t);
            } else {
                once.fail(t + " is not done after its TaskScope closed");
            }
        }
    }

    void bodyEnded(Tracked t, int times) {
        if (times != 1) {
            once.fail(t + ": its body ended " + times + " times");
        }
    }

    void futureMisused(Tracked t, String how) {
        once.fail(t + ": its future was polled or dropped after it ended (" + how + ")");
    }

    /**
     * The final count, after every runtime closed: spawned equals completed. Scoped children whose
     * scope bookkeeping was skipped (an owner that ended abnormally) are counted here if done.
     */
    void finalCheck() {
        for (Tracked t : List.copyOf(outstanding.values())) {
            if (t.scoped() && t.task() != null && t.task().isDone()) {
                completedOtherwise(t);
            }
        }
        long s = spawned.sum();
        long c = completed.sum();
        once.check(s == c && outstanding.isEmpty(), () -> {
            List<String> some = new ArrayList<>();
            for (Tracked t : outstanding.values()) {
                if (some.size() == 5) {
                    break;
                }
                some.add(t.toString());
            }
            return "spawned " + s + " tasks, " + c + " completed; not completed (first 5 of " + outstanding.size()
                    + "): " + some;
        });
    }

    /** The first {@code n} tasks not completed yet, for a diagnosis. */
    List<String> stragglers(int n) {
        List<String> some = new ArrayList<>();
        for (Tracked t : outstanding.values()) {
            if (some.size() == n) {
                break;
            }
            some.add(t.toString());
        }
        return some;
    }

    int outstanding() {
        return outstanding.size();
    }

    // ------------------------------------------------------------------ joining

    /**
     * Joins the task from a sequential task, bounded by {@link Joins}, and checks the outcome
     * against the body. If the <em>joiner</em> was cancelled, its {@link CancelledException}
     * propagates.
     */
    Outcome join(Tracked t) {
        Task<?> task = t.task();
        // A joiner on a runtime that is closed under it may be abandoned mid-wait, and then never
        // ends its wait: only joins on the main runtime are registered (the churn checks the others).
        long token = Runtime.find().orElse(null) == main ? joins.begin("join of " + t.what()) : 0;
        try {
            Object v = task.join();
            checkSucceeded(t, v);
            return Outcome.SUCCEEDED;
        } catch (TaskFailedException e) {
            checkFailed(t, e);
            return Outcome.FAILED;
        } catch (CancelledException e) {
            if (!task.isDone()) {
                throw e;                     // the joiner was cancelled
            }
            Weft.checkCancelled();           // the joiner was cancelled (and the task finished meanwhile)
            checkCancelled(t);
            return Outcome.CANCELLED;
        } finally {
            if (token != 0) {
                joins.end(token);
            }
        }
    }

    private void checkSucceeded(Tracked t, Object v) {
        outcomes.check(t.bodyEnds() == 1 && t.returnedNormally() && t.returned() == v,
                () -> t + " joined with a value, but its body " + bodyStory(t) + " (value joined: " + v + ")");
    }

    private void checkFailed(Tracked t, TaskFailedException e) {
        boolean own = e.getCause() != null && e.getCause() == t.thrown() && t.bodyEnds() == 1 && !t.returnedNormally();
        boolean scopeFailure = t.scoped() && Injected.inChain(e);
        outcomes.check(own || scopeFailure, () -> t + " joined as failed (" + e.getCause() + "), but its body " + bodyStory(t));
    }

    private void checkCancelled(Tracked t) {
        if (t.mayBeAbandoned()) {
            outcomes.pass();
            return;
        }
        Throwable thrown = t.thrown();
        boolean bodyAgrees = !t.returnedNormally()
                && (thrown == null || thrown instanceof CancellationException || thrown instanceof InterruptedException);
        outcomes.check(t.task().isCancelled() && bodyAgrees,
                () -> t + " joined as cancelled, but " + (t.task().isCancelled() ? "its body " + bodyStory(t)
                        : "nobody requested its cancellation"));
    }

    private static String bodyStory(Tracked t) {
        if (t.bodyEnds() == 0) {
            return "never ended";
        }
        return (t.returnedNormally() ? "returned " + t.returned() : "threw " + t.thrown()) + " (ended " + t.bodyEnds() + " times)";
    }
}

package dev.weft.bench.chaos;

import dev.weft.Context;
import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Weft;
import dev.weft.sync.ClosedException;
import dev.weft.sync.Mutex;
import dev.weft.sync.Receiver;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Injected faults: wakers that throw when a timer fires or a task completes, futures whose
 * {@code drop()} throws when their task is cancelled or when they lose a select or timeout. The
 * runtime must report each (or, for a loser, rethrow it to the awaiting task), keep running, and
 * leave nothing held: see {@link FaultTally}.
 */
final class FaultOps {
    private FaultOps() { }

    /** {@code Runtime.current().scheduleWake(deadline, throwingWaker)}, from a sequential task or inside a poll. */
    static void timerWaker(World w, SplittableRandom rnd) {
        long deadline = System.nanoTime() + World.micros(rnd, 2_000).toNanos();
        ThrowingWaker waker = new ThrowingWaker(w.tally, w.nextId());
        if (rnd.nextBoolean()) {
            Runtime.current().scheduleWake(deadline, waker);
        } else {
            Tracked t = w.ledger.spawnFuture(Runtime.current(), "faults/schedule-in-poll", cx -> {
                Runtime.current().scheduleWake(deadline, waker);
                return Poll.ready(null);
            });
            w.ledger.join(t);
        }
    }

    /** A throwing waker registered as a waiter on a task: the task's completion wakes it (and its other waiters). */
    static void taskWaiterWaker(World w, SplittableRandom rnd) {
        Tracked t = TaskOps.spawnAny(w, rnd, "faults/waited-on");
        try {
            t.task().poll(new Context(new ThrowingWaker(w.tally, w.nextId())));
        } catch (RuntimeException finishedAlready) {
            // done before the waker could register: it will never be woken
        }
        TaskOps.maybeCancel(w, rnd, t, 3);
        w.ledger.join(t);
    }

    /** A poll task, or a sequential task's awaited future, whose drop throws when the task is cancelled. */
    static void dropCancelled(World w, SplittableRandom rnd) {
        Tracked t = rnd.nextBoolean()
                ? w.ledger.spawnFuture(Runtime.current(), "faults/drop-poll", new ThrowingDrop<>(w, Future.never()))
                : w.ledger.spawn(Runtime.current(), "faults/drop-await", () -> Weft.await(new ThrowingDrop<>(w, Future.never())));
        World.pause(rnd, 1_000);
        t.task().cancel();
        w.ledger.join(t);
    }

    /** A select or timeout whose loser's drop throws: the exception reaches the awaiting task. */
    static void dropSelectLoser(World w, SplittableRandom rnd) {
        Duration d = World.micros(rnd, 1_000);
        long token = w.joins.begin("select with a throwing loser");
        try {
            switch (rnd.nextInt(3)) {
                case 0 -> Weft.select(new ThrowingDrop<>(w, Future.never()), Weft.sleepFuture(d));
                case 1 -> Weft.select(Weft.sleepFuture(d), new ThrowingDrop<>(w, Future.never()));
                default -> Weft.await(new ThrowingDrop<>(w, Future.sleep(World.micros(rnd, 1_000))).timeout(d));
            }
        } catch (Injected e) {
            if (e.kind() == Injected.Kind.DROP) {
                w.tally.dropPropagated(e);
            } else {
                throw e;
            }
        } catch (dev.weft.TimedOutException inTime) {
            // the timeout's inner future had completed: nothing dropped
        } finally {
            w.joins.end(token);
        }
    }

    /**
     * A cancelled poll task whose future is a select of two futures whose drops both throw: both
     * faults must be reported.
     */
    static void dropPair(World w, SplittableRandom rnd) {
        Tracked t = w.ledger.spawnFuture(Runtime.current(), "faults/drop-pair",
                Future.select(new ThrowingDrop<>(w, Future.never()), new ThrowingDrop<>(w, Future.never())));
        World.pause(rnd, 1_000);
        t.task().cancel();
        w.ledger.join(t);
    }

    /**
     * A resource future (a lock, a receive) that wins a select whose loser's drop throws. The
     * fault may be rethrown to the awaiting task, but the lock or message the winner got must not
     * be held by nobody. Uses its own mutex and channel, so what happens here stays apart.
     */
    static void dropAfterResource(World w, SplittableRandom rnd) {
        Duration d = World.micros(rnd, 1_000);
        long token = w.joins.begin("select of a resource and a throwing loser");
        try {
            if (rnd.nextBoolean()) {
                Locks.Lock lock = w.locks.faultMutex;
                Either<Mutex.Guard<long[]>, Void> r = Weft.select(lock.mutex().lockFuture(),
                        new ThrowingDrop<>(w, Future.sleep(d)));
                if (r instanceof Either.First<Mutex.Guard<long[]>, Void>(Mutex.Guard<long[]> g)) {
                    SyncOps.critical(w, lock, g, null);
                }
            } else {
                ChannelSlot slot = w.faultSlot;
                long m = w.nextId();
                if (slot.current().sender().trySend(m)) {
                    slot.sent.add(m);
                }
                Receiver<Long> rx = slot.current().receiver();
                Either<Long, Void> r = Weft.select(rx.recvFuture(), new ThrowingDrop<>(w, Future.sleep(d)));
                if (r instanceof Either.First<Long, Void>(Long got)) {
                    slot.received.add(got);
                }
            }
        } catch (Injected e) {
            if (e.kind() == Injected.Kind.DROP) {
                w.tally.dropPropagated(e);
            } else {
                throw e;
            }
        } catch (ClosedException end) {
            // not expected (the fault slot is never retired), but not this operation's concern
        } finally {
            w.joins.end(token);
        }
    }
}

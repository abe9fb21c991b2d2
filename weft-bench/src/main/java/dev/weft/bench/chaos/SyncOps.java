package dev.weft.bench.chaos;

import dev.weft.Both;
import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.TimedOutException;
import dev.weft.Weft;
import dev.weft.sync.ClosedException;
import dev.weft.sync.Mutex;
import dev.weft.sync.Receiver;
import dev.weft.sync.Semaphore;
import dev.weft.sync.Sender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Operations on weft-sync: sends and receives on shared mpsc channels (parked, raced in selects,
 * with deadlines, in joins whose other branch fails, by tasks cancelled at random), channels
 * retired under traffic, and mutexes and semaphores taken every way (blocking, selects, deadlines,
 * the {@code Future.join(...)}-inside-a-select shape, joins whose other branch fails, tasks
 * cancelled while parked or while holding). Every wait is bounded: a select or deadline, or a
 * task the operation cancels itself.
 */
final class SyncOps {
    private SyncOps() { }

    /** A future that fails with an injected SIBLING exception after {@code d}: makes a join give back what it got. */
    static <T> Future<T> failAfter(World w, Duration d) {
        long id = w.nextId();
        return Future.sleep(d).then(x -> Future.failed(new Injected(Injected.Kind.SIBLING, id)));
    }

    private static ChannelSlot slot(World w, SplittableRandom rnd) {
        return w.slots.get(rnd.nextInt(w.slots.size()));
    }

    // ------------------------------------------------------------------ channels

    static void produce(World w, SplittableRandom rnd) {
        ChannelSlot slot = slot(w, rnd);
        Sender<Long> tx = slot.current().sender();
        int n = 1 + rnd.nextInt(8);
        for (int i = 0; i < n; i++) {
            long m = w.nextId();
            try {
                switch (rnd.nextInt(4)) {
                    case 0 -> {
                        try {
                            Weft.await(tx.sendFuture(m).timeout(World.micros(rnd, 2_000)));
                            slot.sent.add(m);
                        } catch (TimedOutException full) {
                            // not sent
                        }
                    }
                    case 1 -> {
                        if (tx.trySend(m)) {
                            slot.sent.add(m);
                        }
                    }
                    case 2 -> {
                        Either<Void, Void> r = Weft.select(tx.sendFuture(m), Weft.sleepFuture(World.micros(rnd, 1_000)));
                        if (r instanceof Either.First) {
                            slot.sent.add(m);
                        }
                    }
                    default -> {
                        // A task parked in send() on a full channel, cancelled at a random moment: sent or not, never half.
                        Tracked k = w.ledger.spawn(Runtime.current(), "produce/parked-send", () -> {
                            try {
                                tx.send(m);
                                slot.sent.add(m);
                            } catch (ClosedException e) {
                                refused(w, slot, e, m);
                            } catch (IllegalStateException handleClosed) {
                                // the slot retired this sender handle: not sent
                            }
                            return null;
                        });
                        World.pause(rnd, 1_000);
                        k.task().cancel();
                        w.ledger.join(k);
                    }
                }
            } catch (ClosedException e) {
                refused(w, slot, e, m);
            } catch (IllegalStateException handleClosed) {
                return;                       // the slot retired this sender handle: not sent
            }
        }
    }

    private static void refused(World w, ChannelSlot slot, ClosedException e, long m) {
        slot.refused.add(m);
        Object back = e.value();
        w.messages.check(back instanceof Long l && l == m,
                () -> slot.name + ": a refused send handed back " + back + " instead of its message " + m);
    }

    static void consume(World w, SplittableRandom rnd) {
        ChannelSlot slot = slot(w, rnd);
        Receiver<Long> rx = slot.current().receiver();
        Duration d = World.micros(rnd, 2_000);
        try {
            switch (rnd.nextInt(8)) {
                case 0 -> {
                    if (Weft.select(rx.recvFuture(), Weft.sleepFuture(d)) instanceof Either.First<Long, Void>(Long m)) {
                        slot.received.add(m);
                    }
                }
                case 1 -> {
                    try {
                        slot.received.add(Weft.await(rx.recvFuture().timeout(d)));
                    } catch (TimedOutException empty) {
                        // nothing came
                    }
                }
                case 2 -> {
                    Long m = rx.tryRecv();
                    if (m != null) {
                        slot.received.add(m);
                    }
                }
                case 3 -> {
                    List<Long> sink = new ArrayList<>();
                    rx.drainTo(sink, 1 + rnd.nextInt(16));
                    sink.forEach(slot.received::add);
                }
                case 4 -> {
                    List<Long> sink = new ArrayList<>();
                    Either<Integer, Void> r = Weft.select(rx.recvManyFuture(sink, 1 + rnd.nextInt(16)), Weft.sleepFuture(d));
                    if (r instanceof Either.First<Integer, Void>(Integer count)) {
                        w.messages.check(count == sink.size(), () -> slot.name + ": recvManyFuture said " + count
                                + " but its sink holds " + sink.size());
                    } else {
                        w.messages.check(sink.isEmpty(), () -> slot.name + ": a recvManyFuture that lost a select left "
                                + sink.size() + " messages in its sink");
                    }
                    sink.forEach(slot.received::add);
                }
                case 5 -> {
                    // The join fails after d: a message the receive got meanwhile must go back to the channel.
                    try {
                        Weft.await(Future.join(rx.recvFuture(), failAfter(w, d)));
                        w.messages.fail(slot.name + ": a join with a failing branch completed");
                    } catch (Injected expected) {
                        w.messages.pass();
                    }
                }
                case 6 -> {
                    List<Long> sink = new ArrayList<>();
                    try {
                        Weft.await(Future.join(rx.recvManyFuture(sink, 1 + rnd.nextInt(8)), failAfter(w, d)));
                        w.messages.fail(slot.name + ": a join with a failing branch completed");
                    } catch (Injected expected) {
                        w.messages.check(sink.isEmpty(), () -> slot.name + ": a released recvManyFuture left "
                                + sink.size() + " messages in its sink");
                    }
                    sink.forEach(slot.received::add);
                }
                default -> {
                    // A consumer task in a recv() loop, cancelled at a random moment: no message lost.
                    Tracked k = w.ledger.spawn(Runtime.current(), "consume/recv-loop", () -> {
                        try {
                            for (;;) {
                                Long m = rx.recv();
                                slot.received.add(m);
                            }
                        } catch (ClosedException end) {
                            return null;
                        }
                    });
                    World.pause(rnd, 2_000);
                    k.task().cancel();
                    w.ledger.join(k);
                }
            }
        } catch (ClosedException end) {
            // the channel was retired and is empty
        }
    }

    static void retireChannel(World w, SplittableRandom rnd) {
        slot(w, rnd).retire();
    }

    // ------------------------------------------------------------------ locks

    /** The critical section: exactly one holder; then the guard is closed, also on cancellation. */
    static void critical(World w, Locks.Lock lock, Mutex.Guard<long[]> guard, SplittableRandom rnd) {
        try {
            int h = lock.holders().incrementAndGet();
            w.exclusion.check(h == 1, () -> lock.name() + " had " + h + " holders at once");
            guard.get()[0]++;
            if (rnd != null) {
                World.pause(rnd, 500);
            }
        } finally {
            lock.holders().decrementAndGet();
            guard.close();
        }
        w.locksReleased.pass();
    }

    static void criticalPermits(World w, Locks.Sem sem, Semaphore.Permit permit, SplittableRandom rnd) {
        int k = permit.permits();
        try {
            int h = sem.held().addAndGet(k);
            w.exclusion.check(h <= Locks.SEMAPHORE_PERMITS, () -> sem.name() + " had " + h + " permits held of "
                    + Locks.SEMAPHORE_PERMITS);
            if (rnd != null) {
                World.pause(rnd, 500);
            }
        } finally {
            sem.held().addAndGet(-k);
            permit.close();
        }
        w.locksReleased.pass();
    }

    /** {@code mutex.lock()}, registered as a bounded wait. */
    static Mutex.Guard<long[]> lockParked(World w, Locks.Lock lock) {
        long token = w.joins.begin(lock.name() + ".lock()");
        try {
            return lock.mutex().lock();
        } finally {
            w.joins.end(token);
        }
    }

    /** {@code semaphore.acquire(k)}, registered as a bounded wait. */
    static Semaphore.Permit acquireParked(World w, Locks.Sem sem, int k) {
        long token = w.joins.begin(sem.name() + ".acquire(" + k + ")");
        try {
            return sem.semaphore().acquire(k);
        } finally {
            w.joins.end(token);
        }
    }

    private static Locks.Lock mutex(World w, SplittableRandom rnd) {
        return w.locks.mutexes[rnd.nextInt(w.locks.mutexes.length)];
    }

    private static Locks.Sem semaphore(World w, SplittableRandom rnd) {
        return w.locks.semaphores[rnd.nextInt(w.locks.semaphores.length)];
    }

    private static int permits(SplittableRandom rnd) {
        return 1 + rnd.nextInt(Locks.SEMAPHORE_PERMITS);
    }

    static void locks(World w, SplittableRandom rnd) {
        Locks.Lock lock = mutex(w, rnd);
        Locks.Sem sem = semaphore(w, rnd);
        switch (rnd.nextInt(5)) {
            case 0 -> critical(w, lock, lockParked(w, lock), rnd);
            case 1 -> lock.mutex().tryLock().ifPresent(g -> critical(w, lock, g, rnd));
            case 2 -> criticalPermits(w, sem, acquireParked(w, sem, permits(rnd)), rnd);
            case 3 -> sem.semaphore().tryAcquire(permits(rnd)).ifPresent(p -> criticalPermits(w, sem, p, rnd));
            default -> {
                // Tasks parked in lock()/acquire() or holding, cancelled at random moments.
                SplittableRandom r = rnd.split();
                int k = permits(rnd);
                Tracked t = rnd.nextBoolean()
                        ? w.ledger.spawn(Runtime.current(), "locks/parked-lock", () -> {
                            critical(w, lock, lockParked(w, lock), r);
                            return null;
                        })
                        : w.ledger.spawn(Runtime.current(), "locks/parked-acquire", () -> {
                            criticalPermits(w, sem, acquireParked(w, sem, k), r);
                            return null;
                        });
                World.pause(rnd, 1_000);
                t.task().cancel();
                w.ledger.join(t);
            }
        }
    }

    static void lockSelects(World w, SplittableRandom rnd) {
        Locks.Lock lock = mutex(w, rnd);
        Locks.Sem sem = semaphore(w, rnd);
        Duration d = World.micros(rnd, 1_500);
        switch (rnd.nextInt(4)) {
            case 0 -> {
                if (Weft.select(lock.mutex().lockFuture(), Weft.sleepFuture(d))
                        instanceof Either.First<Mutex.Guard<long[]>, Void>(Mutex.Guard<long[]> g)) {
                    critical(w, lock, g, rnd);
                }
            }
            case 1 -> {
                try {
                    critical(w, lock, Weft.await(lock.mutex().lockFuture().timeout(d)), rnd);
                } catch (TimedOutException busy) {
                    // someone else held it
                }
            }
            case 2 -> {
                if (Weft.select(sem.semaphore().acquireFuture(permits(rnd)), Weft.sleepFuture(d))
                        instanceof Either.First<Semaphore.Permit, Void>(Semaphore.Permit p)) {
                    criticalPermits(w, sem, p, rnd);
                }
            }
            default -> {
                try {
                    criticalPermits(w, sem, Weft.await(sem.semaphore().acquireFuture(permits(rnd)).timeout(d)), rnd);
                } catch (TimedOutException busy) {
                    // not enough permits in time
                }
            }
        }
    }

    /** The shape {@code select(Future.join(lock, permits), sleep)}: both or neither are held afterwards. */
    static void joinInSelect(World w, SplittableRandom rnd) {
        Locks.Lock lock = mutex(w, rnd);
        Locks.Sem sem = semaphore(w, rnd);
        Duration d = World.micros(rnd, 2_000);
        if (rnd.nextBoolean()) {
            Either<Both<Mutex.Guard<long[]>, Semaphore.Permit>, Void> r = Weft.select(
                    Future.join(lock.mutex().lockFuture(), sem.semaphore().acquireFuture(permits(rnd))), Weft.sleepFuture(d));
            if (r instanceof Either.First<Both<Mutex.Guard<long[]>, Semaphore.Permit>, Void>(var both)) {
                try {
                    critical(w, lock, both.first(), null);
                } finally {
                    criticalPermits(w, sem, both.second(), rnd);
                }
            }
        } else {
            Locks.Lock other = w.locks.mutexes[(java.util.Arrays.asList(w.locks.mutexes).indexOf(lock) + 1) % w.locks.mutexes.length];
            Either<List<Mutex.Guard<long[]>>, Void> r = Weft.select(
                    Future.joinAll(lock.mutex().lockFuture(), other.mutex().lockFuture()), Weft.sleepFuture(d));
            if (r instanceof Either.First<List<Mutex.Guard<long[]>>, Void>(var guards)) {
                try {
                    critical(w, lock, guards.get(0), null);
                } finally {
                    critical(w, other, guards.get(1), rnd);
                }
            }
        }
    }

    /** A join whose other branch fails: the lock or permits it got are given back by {@code release}. */
    static void joinRelease(World w, SplittableRandom rnd) {
        Locks.Lock lock = mutex(w, rnd);
        Locks.Sem sem = semaphore(w, rnd);
        Duration d = World.micros(rnd, 1_500);
        long token = w.joins.begin("join with a failing branch");
        try {
            switch (rnd.nextInt(3)) {
                case 0 -> Weft.await(Future.join(lock.mutex().lockFuture(), failAfter(w, d)));
                case 1 -> Weft.await(Future.join(sem.semaphore().acquireFuture(permits(rnd)), failAfter(w, d)));
                default -> Weft.await(Future.join(lock.mutex().lockFuture(), Future.failed(new Injected(Injected.Kind.SIBLING, w.nextId()))));
            }
            w.locksReleased.fail("a join with a failing branch completed");
        } catch (Injected expected) {
            w.locksReleased.pass();
        } finally {
            w.joins.end(token);
        }
    }
}

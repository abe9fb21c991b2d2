package dev.weft.bench.chaos;

import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Weft;
import dev.weft.sync.Mutex;
import dev.weft.sync.Receiver;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Random task bodies: short sequential bodies, poll futures and blocking calls that return a
 * fresh token, sleep, yield, hold a lock for a moment, receive with a deadline, or throw an
 * {@link Injected} failure. Every random choice is made when the body is made (from the caller's
 * random), so a body is the same for the same seed whoever runs it. A {@code plain} body never
 * fails and touches no shared resource: scope children use those, so that a scope fails only
 * because of an injected failure.
 */
final class Jobs {
    private Jobs() { }

    static Callable<Object> sequential(World w, SplittableRandom rnd, boolean plain) {
        World.Token token = w.token();
        long id = w.nextId();
        Duration d = World.micros(rnd, 3_000);
        int yields = rnd.nextInt(5);
        int choice = rnd.nextInt(plain ? 5 : 8);
        return switch (choice) {
            case 0, 1 -> () -> token;
            case 2 -> () -> {
                Weft.sleep(d);
                return token;
            };
            case 3 -> () -> {
                for (int i = 0; i < yields; i++) {
                    Weft.yieldNow();
                }
                return token;
            };
            case 4 -> () -> {
                try {
                    Weft.sleep(d);
                    return token;
                } finally {
                    Weft.shielded(() -> Weft.sleep(d.dividedBy(4)));    // cleanup that itself waits
                }
            };
            case 5 -> () -> {
                throw new Injected(Injected.Kind.BODY, id);
            };
            case 6 -> () -> {
                Weft.sleep(d);
                throw new Injected(Injected.Kind.BODY, id);
            };
            default -> () -> {
                Locks.Lock lock = w.locks.mutexes[(int) (id % w.locks.mutexes.length)];
                Either<Mutex.Guard<long[]>, Void> got = Weft.select(lock.mutex().lockFuture(), Weft.sleepFuture(d));
                if (got instanceof Either.First<Mutex.Guard<long[]>, Void>(Mutex.Guard<long[]> guard)) {
                    SyncOps.critical(w, lock, guard, null);
                }
                return token;
            };
        };
    }

    static Future<Object> poll(World w, SplittableRandom rnd, boolean plain) {
        World.Token token = w.token();
        long id = w.nextId();
        Duration d = World.micros(rnd, 3_000);
        int n = rnd.nextInt(6);
        int choice = rnd.nextInt(plain ? 3 : 6);
        return switch (choice) {
            case 0 -> Future.ready(token);
            case 1 -> Yields.ready(n, token);
            case 2 -> Future.sleep(d).map(x -> token);
            case 3 -> Yields.failing(n, new Injected(Injected.Kind.BODY, id), null);
            case 4 -> {
                ChannelSlot slot = w.slots.get((int) (id % w.slots.size()));
                Receiver<Long> rx = slot.current().receiver();
                yield Future.select(rx.recvFuture(), Future.sleep(d)).map(got -> {
                    if (got instanceof Either.First<Long, Void>(Long m)) {
                        slot.received.add(m);
                    }
                    return token;
                });
            }
            default -> {
                Locks.Lock lock = w.locks.mutexes[(int) (id % w.locks.mutexes.length)];
                yield Future.select(lock.mutex().lockFuture(), Future.sleep(d)).map(got -> {
                    if (got instanceof Either.First<Mutex.Guard<long[]>, Void>(Mutex.Guard<long[]> guard)) {
                        SyncOps.critical(w, lock, guard, null);
                    }
                    return token;
                });
            }
        };
    }

    static Callable<Object> blocking(World w, SplittableRandom rnd) {
        World.Token token = w.token();
        long id = w.nextId();
        long sleepMillis = rnd.nextInt(3);
        return switch (rnd.nextInt(4)) {
            case 0 -> () -> token;
            case 1 -> () -> {
                Thread.sleep(sleepMillis);       // a pool thread: an interrupt (cancel) ends it
                return token;
            };
            case 2 -> () -> {
                throw new Injected(Injected.Kind.BODY, id);
            };
            default -> () -> {
                long end = System.nanoTime() + 50_000;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                return token;
            };
        };
    }
}

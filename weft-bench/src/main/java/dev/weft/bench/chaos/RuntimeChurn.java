package dev.weft.bench.chaos;

import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.TimedOutException;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import dev.weft.sync.Channel;
import dev.weft.sync.Channels;
import dev.weft.sync.ClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runtimes opened and closed with work in flight, on a platform thread of its own: each round
 * builds a multi-thread runtime (1–2 workers, a close grace of 0 to the main runtime's), fills it
 * with tasks (sleep loops, shielded sleeps that outlive the grace, poll tasks that never finish,
 * blocking sleeps, spawners, timeouts, channel ping-pong), has tasks of the <em>main</em> runtime
 * join some of them, waits 0–50 ms, and closes it, sometimes from two threads at once.
 *
 * <p>{@code runtimes-close}: each close returns within its grace plus 5 s; when it returns, every
 * task of that runtime is done (abandoned ones completed as cancelled), so every join on any
 * runtime returns; and spawning on the closed runtime is refused with
 * {@link IllegalStateException}.
 */
final class RuntimeChurn implements Runnable {
    private final World w;
    private final SplittableRandom rnd;
    private final AtomicLong rounds = new AtomicLong();

    RuntimeChurn(World w, SplittableRandom rnd) {
        this.w = w;
        this.rnd = rnd;
    }

    long rounds() {
        return rounds.get();
    }

    @Override
    public void run() {
        while (w.running()) {
            try {
                round(rounds.incrementAndGet());
            } catch (Throwable t) {
                w.unexpected.fail("runtime churn", t);
            }
        }
    }

    private void round(long i) throws InterruptedException {
        Duration grace = Duration.ofMillis(rnd.nextLong(w.cfg.closeGrace().toMillis() + 1));
        Runtime rt = Runtimes.multiThreadBuilder().name("chaos-churn-" + i).workers(1 + rnd.nextInt(2))
                .closeGrace(grace).watchdog(null).build();
        List<Tracked> tasks = new ArrayList<>();
        int n = 5 + rnd.nextInt(20);
        for (int k = 0; k < n; k++) {
            tasks.add(spawnOne(rt, grace, rnd.split()));
        }
        for (Tracked t : tasks) {
            if (rnd.nextInt(4) == 0) {
                // a task of the main runtime waits for it: it must return when this runtime closes
                w.ledger.spawn(w.main, "churn/cross-runtime-join", () -> {
                    w.ledger.join(t);
                    return null;
                });
            }
        }
        Thread.sleep(rnd.nextInt(51));
        Thread second = null;
        if (rnd.nextInt(4) == 0) {
            second = Thread.ofPlatform().name("chaos-second-closer").start(() -> timedClose(rt, grace, "second closer"));
        }
        timedClose(rt, grace, "close");
        if (second != null) {
            second.join(grace.toMillis() + 10_000);
            w.runtimes.check(!second.isAlive(), () -> rt.name() + ": a concurrent second close() did not return");
        }
        for (Tracked t : tasks) {
            w.runtimes.check(t.task().isDone(), () -> rt.name() + ": " + t + " is not done after close() returned");
        }
        try {
            rt.spawnFuture(Future.ready(1));
            w.runtimes.fail(rt.name() + ": spawning after close() was accepted");
        } catch (IllegalStateException refused) {
            w.runtimes.pass();
        }
    }

    private void timedClose(Runtime rt, Duration grace, String who) {
        long token = w.joins.begin(rt.name() + " " + who + "()");
        long start = System.nanoTime();
        try {
            rt.close();
        } finally {
            w.joins.end(token);
        }
        long took = System.nanoTime() - start;
        long bound = grace.toNanos() + TimeUnit.SECONDS.toNanos(5);
        w.runtimes.check(took <= bound, () -> rt.name() + " " + who + "() took " + TimeUnit.NANOSECONDS.toMillis(took)
                + " ms (grace " + grace.toMillis() + " ms)");
    }

    private Tracked spawnOne(Runtime rt, Duration grace, SplittableRandom r) {
        Duration d = World.micros(r, 2_000);
        return switch (r.nextInt(8)) {
            case 0 -> w.ledger.spawn(rt, "churn/sleep-loop", () -> {
                for (int k = 0; k < 50; k++) {
                    Weft.sleep(d);
                }
                return null;
            });
            case 1 -> w.ledger.spawn(rt, "churn/shielded-past-grace", () -> {
                Weft.shielded(() -> Weft.sleep(grace.plusMillis(100)));
                return null;
            });
            case 2 -> w.ledger.spawnFuture(rt, "churn/poll-never", Future.never());
            case 3 -> w.ledger.spawnFuture(rt, "churn/poll-yields", Yields.ready(r.nextInt(1_000), null));
            case 4 -> w.ledger.spawnBlocking(rt, "churn/blocking-sleep", () -> {
                Thread.sleep(20);
                return null;
            });
            case 5 -> w.ledger.spawn(rt, "churn/spawner", () -> {
                List<Tracked> kids = new ArrayList<>();
                for (int k = 0; k < 5; k++) {
                    kids.add(w.ledger.spawn(Runtime.current(), "churn/child", () -> {
                        Weft.sleep(d);
                        return null;
                    }));
                }
                for (Tracked kid : kids) {
                    w.ledger.join(kid);
                }
                return null;
            });
            case 6 -> w.ledger.spawn(rt, "churn/timeout", () -> {
                try {
                    return Weft.timeout(Duration.ofMillis(5), () -> {
                        Weft.sleep(Duration.ofMillis(20));
                        return null;
                    });
                } catch (TimedOutException expected) {
                    return null;
                }
            });
            default -> w.ledger.spawn(rt, "churn/ping-pong", () -> {
                Channel<Long> ping = Channels.mpsc(4);
                Channel<Long> pong = Channels.mpsc(4);
                Tracked echo = w.ledger.spawn(Runtime.current(), "churn/pong", () -> {
                    try {
                        for (Long m : ping.receiver()) {
                            pong.sender().send(m);
                        }
                    } catch (ClosedException closed) {
                        // the other side went away
                    }
                    return null;
                });
                try {
                    for (long m = 0; m < 1_000; m++) {
                        ping.sender().send(m);
                        pong.receiver().recv();
                    }
                } finally {
                    ping.sender().close();
                    w.ledger.join(echo);
                }
                return null;
            });
        };
    }
}

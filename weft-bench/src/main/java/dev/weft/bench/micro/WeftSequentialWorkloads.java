package dev.weft.bench.micro;

import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.bench.Latch;
import dev.weft.sync.Channel;
import dev.weft.sync.Channels;
import dev.weft.sync.Oneshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code weft-multi/vthread} and {@code weft-current/vthread}: sequential tasks, blocking-style code in virtual threads carried by a Weft runtime. */
final class WeftSequentialWorkloads implements Workloads {
    private final Runtime rt;

    WeftSequentialWorkloads(Runtime rt) {
        this.rt = rt;
    }

    @Override
    public void spawnMany() {
        rt.run(() -> {
            Latch done = new Latch(SPAWN_MANY);
            for (int i = 0; i < SPAWN_MANY; i++) {
                Weft.spawn(done::countDown);
            }
            Weft.await(done);
        });
    }

    @Override
    public void yieldMany() {
        rt.run(() -> {
            List<Task<Void>> tasks = new ArrayList<>(YIELD_TASKS);
            for (int i = 0; i < YIELD_TASKS; i++) {
                tasks.add(Weft.spawn(() -> {
                    for (int y = 0; y < YIELDS; y++) {
                        Weft.yieldNow();
                    }
                }));
            }
            for (Task<Void> t : tasks) {
                t.join();
            }
        });
    }

    @Override
    public void pingPong() {
        rt.run(() -> {
            Latch done = new Latch(PING_PONGS);
            for (int i = 0; i < PING_PONGS; i++) {
                Weft.spawn(() -> {
                    Oneshot<Long> ping = Channels.oneshot();
                    Oneshot<Long> pong = Channels.oneshot();
                    Weft.spawn(() -> pong.sender().send(ping.receiver().recv()));
                    ping.sender().send(1L);
                    pong.receiver().recv();
                    done.countDown();
                });
            }
            Weft.await(done);
        });
    }

    @Override
    public void chainedSpawn() {
        rt.run(() -> {
            Latch done = new Latch(1);
            chain(CHAIN, done);
            Weft.await(done);
        });
    }

    private static void chain(int left, Latch done) {
        if (left == 0) {
            done.countDown();
            return;
        }
        Weft.spawn(() -> chain(left - 1, done));
    }

    @Override
    public void mpsc100k() {
        rt.run(() -> {
            Channel<Long> ch = Channels.mpsc(CAPACITY);
            Weft.spawn(() -> {
                try (var tx = ch.sender()) {
                    for (long i = 0; i < MESSAGES; i++) {
                        tx.send(i);
                    }
                }
            });
            long sum = 0;
            for (long v : ch.receiver()) {
                sum += v;
            }
            if (sum != Workloads.expectedSum(MESSAGES)) {
                throw new AssertionError("mpsc sum " + sum);
            }
        });
    }

    @Override
    public void close() {
        rt.close();
    }
}

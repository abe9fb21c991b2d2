package dev.weft.bench.micro;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Weft;
import dev.weft.bench.Latch;
import dev.weft.sync.Channel;
import dev.weft.sync.Channels;
import dev.weft.sync.Oneshot;
import dev.weft.sync.Sender;

/** {@code weft-multi/poll} and {@code weft-current/poll}: the workloads as poll futures, spawned as poll tasks. */
final class WeftPollWorkloads implements Workloads {
    private static final Poll<Void> DONE = Poll.ready(null);
    private final Runtime rt;

    WeftPollWorkloads(Runtime rt) {
        this.rt = rt;
    }

    /** Spawns {@code n} children from inside a task (at its first poll), then waits for the latch. */
    private static final class FanOut implements Future<Void> {
        private final int n;
        private final java.util.function.IntFunction<Future<Void>> child;
        private final Latch done;
        private boolean spawned;

        FanOut(int n, java.util.function.IntFunction<Future<Void>> child, Latch done) {
            this.n = n;
            this.child = child;
            this.done = done;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (!spawned) {
                spawned = true;
                for (int i = 0; i < n; i++) {
                    Weft.spawnFuture(child.apply(i));
                }
            }
            return done.poll(cx);
        }
    }

    @Override
    public void spawnMany() {
        Latch done = new Latch(SPAWN_MANY);
        Future<Void> empty = cx -> {
            done.countDown();
            return DONE;
        };
        rt.blockOn(new FanOut(SPAWN_MANY, i -> empty, done));
    }

    /** Yields {@code YIELDS} times (wakes itself, answers pending), then counts down. */
    private static final class Yielder implements Future<Void> {
        private final Latch done;
        private int left = YIELDS;

        Yielder(Latch done) {
            this.done = done;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (left == 0) {
                done.countDown();
                return DONE;
            }
            left--;
            cx.waker().wake();
            return Poll.pending();
        }
    }

    @Override
    public void yieldMany() {
        Latch done = new Latch(YIELD_TASKS);
        rt.blockOn(new FanOut(YIELD_TASKS, i -> new Yielder(done), done));
    }

    /** Spawns its partner, sends it a ping on one oneshot, waits for the pong on another. */
    private static final class Pinger implements Future<Void> {
        private final Latch done;
        private Future<Long> pong;

        Pinger(Latch done) {
            this.done = done;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            if (pong == null) {
                Oneshot<Long> ping = Channels.oneshot();
                Oneshot<Long> back = Channels.oneshot();
                Oneshot.Sender<Long> reply = back.sender();
                Weft.spawnFuture(ping.receiver().recvFuture().map(v -> {
                    reply.send(v);
                    return null;
                }));
                ping.sender().send(1L);
                pong = back.receiver().recvFuture();
            }
            if (!pong.poll(cx).isReady()) {
                return Poll.pending();
            }
            done.countDown();
            return DONE;
        }
    }

    @Override
    public void pingPong() {
        Latch done = new Latch(PING_PONGS);
        rt.blockOn(new FanOut(PING_PONGS, i -> new Pinger(done), done));
    }

    /** Spawns the next link of the chain, or signals at the end. */
    private record Link(int left, Latch done) implements Future<Void> {
        @Override
        public Poll<Void> poll(Context cx) {
            if (left == 0) {
                done.countDown();
            } else {
                Weft.spawnFuture(new Link(left - 1, done));
            }
            return DONE;
        }
    }

    @Override
    public void chainedSpawn() {
        Latch done = new Latch(1);
        rt.blockOn(new FanOut(1, i -> new Link(CHAIN, done), done));
    }

    /** Sends 0..MESSAGES-1: trySend while there is room, a send future when full. */
    private static final class Producer implements Future<Void> {
        private final Sender<Long> tx;
        private long next;
        private Future<Void> blocked;

        Producer(Sender<Long> tx) {
            this.tx = tx;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            for (;;) {
                if (blocked != null) {
                    if (!blocked.poll(cx).isReady()) {
                        return Poll.pending();
                    }
                    blocked = null;
                }
                if (next == MESSAGES) {
                    tx.close();
                    return DONE;
                }
                long v = next++;
                if (!tx.trySend(v)) {
                    blocked = tx.sendFuture(v);
                }
            }
        }
    }

    /** Spawns the producer, then receives in batches (recvManyFuture) and sums until the end. */
    private static final class Summer implements Future<Long> {
        private final Channel<Long> ch;
        private final java.util.ArrayList<Long> batch = new java.util.ArrayList<>(256);
        private Future<Integer> next;
        private long sum;

        Summer(Channel<Long> ch) {
            this.ch = ch;
        }

        @Override
        public Poll<Long> poll(Context cx) {
            if (next == null) {
                Weft.spawnFuture(new Producer(ch.sender()));
                next = ch.receiver().recvManyFuture(batch, 256);
            }
            for (;;) {
                Poll<Integer> got = next.poll(cx);
                if (!got.isReady()) {
                    return Poll.pending();
                }
                if (got.value() == 0) {
                    return Poll.ready(sum);
                }
                for (int i = 0; i < batch.size(); i++) {
                    sum += batch.get(i);
                }
                batch.clear();
                next = ch.receiver().recvManyFuture(batch, 256);
            }
        }
    }

    @Override
    public void mpsc100k() {
        Channel<Long> ch = Channels.mpsc(CAPACITY);
        long sum = rt.blockOn(new Summer(ch));
        if (sum != Workloads.expectedSum(MESSAGES)) {
            throw new AssertionError("mpsc sum " + sum);
        }
    }

    @Override
    public void close() {
        rt.close();
    }
}

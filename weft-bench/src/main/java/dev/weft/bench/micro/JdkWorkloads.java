package dev.weft.bench.micro;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** The baseline {@code jdk/vthread}: the JDK's own scheduler, {@code CompletableFuture}, {@code ArrayBlockingQueue}. */
final class JdkWorkloads implements Workloads {

    private static void inVirtualThread(ThrowingRunnable body) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.startVirtualThread(() -> {
            try {
                body.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.get();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Override
    public void spawnMany() throws Exception {
        inVirtualThread(() -> {
            AtomicInteger left = new AtomicInteger(SPAWN_MANY);
            CompletableFuture<Void> done = new CompletableFuture<>();
            for (int i = 0; i < SPAWN_MANY; i++) {
                Thread.startVirtualThread(() -> {
                    if (left.decrementAndGet() == 0) {
                        done.complete(null);
                    }
                });
            }
            done.join();
        });
    }

    @Override
    public void yieldMany() throws Exception {
        inVirtualThread(() -> {
            List<Thread> threads = new ArrayList<>(YIELD_TASKS);
            for (int i = 0; i < YIELD_TASKS; i++) {
                threads.add(Thread.startVirtualThread(() -> {
                    for (int y = 0; y < YIELDS; y++) {
                        Thread.yield();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        });
    }

    @Override
    public void pingPong() throws Exception {
        inVirtualThread(() -> {
            AtomicInteger left = new AtomicInteger(PING_PONGS);
            CompletableFuture<Void> done = new CompletableFuture<>();
            for (int i = 0; i < PING_PONGS; i++) {
                Thread.startVirtualThread(() -> {
                    CompletableFuture<Long> ping = new CompletableFuture<>();
                    CompletableFuture<Long> pong = new CompletableFuture<>();
                    Thread.startVirtualThread(() -> pong.complete(ping.join()));
                    ping.complete(1L);
                    pong.join();
                    if (left.decrementAndGet() == 0) {
                        done.complete(null);
                    }
                });
            }
            done.join();
        });
    }

    @Override
    public void chainedSpawn() throws Exception {
        inVirtualThread(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            chain(CHAIN, done);
            done.join();
        });
    }

    private static void chain(int left, CompletableFuture<Void> done) {
        if (left == 0) {
            done.complete(null);
            return;
        }
        Thread.startVirtualThread(() -> chain(left - 1, done));
    }

    @Override
    public void mpsc100k() throws Exception {
        inVirtualThread(() -> {
            ArrayBlockingQueue<Long> queue = new ArrayBlockingQueue<>(CAPACITY);
            Thread producer = Thread.startVirtualThread(() -> {
                try {
                    for (long i = 0; i < MESSAGES; i++) {
                        queue.put(i);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long sum = 0;
            for (int i = 0; i < MESSAGES; i++) {
                sum += queue.take();
            }
            producer.join();
            if (sum != Workloads.expectedSum(MESSAGES)) {
                throw new AssertionError("mpsc sum " + sum);
            }
        });
    }

    @Override
    public void close() { }
}

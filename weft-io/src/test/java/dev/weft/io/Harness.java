package dev.weft.io;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Waker;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Shared helpers for the weft-io tests: the runtimes to run on, counting wakers, random bytes. */
final class Harness {
    private Harness() { }

    /** A runtime to test on, with a readable name for parameterized tests. */
    record Rt(String name, Supplier<Runtime> factory) {
        Runtime open() {
            return factory.get();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The three runtimes: one thread for everything; a work-stealing pool; JDK virtual threads + a poller pool. */
    static Stream<Rt> runtimes() {
        return Stream.of(
                new Rt("current-thread", () -> Runtimes.currentThread("io-current")),
                new Rt("multi-thread", () -> Runtimes.multiThreadBuilder().name("io-multi").workers(2).build()),
                new Rt("jdk", () -> Runtimes.jdkDefault("io-jdk")));
    }

    /** A waker that counts its wakes, with a context to poll with by hand. */
    static final class CountingWaker implements Waker {
        final AtomicInteger wakes = new AtomicInteger();
        final Context cx = new Context(this);

        @Override
        public void wake() {
            wakes.incrementAndGet();
        }

        int count() {
            return wakes.get();
        }
    }

    static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /** A sleep of 0 to {@code maxMicros} µs: the other side of a select that must sometimes win. */
    static Future<Void> shortSleep(int maxMicros) {
        return Weft.sleepFuture(Duration.ofNanos(ThreadLocalRandom.current().nextLong(maxMicros * 1_000L + 1)));
    }

    /** Polls {@code f} once with {@code cx}. */
    static <T> Poll<T> pollOnce(Future<T> f, Context cx) {
        return f.poll(cx);
    }

    /** Spins (politely) until {@code condition} holds, failing after {@code millis}. */
    static void awaitTrue(java.util.function.BooleanSupplier condition, long millis, String what) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}

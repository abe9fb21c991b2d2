package dev.weft.sync;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Waker;
import dev.weft.runtime.Runtimes;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Shared helpers for the weft-sync tests: the runtimes to run on, counting wakers, poll loops. */
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

    /** The real runtimes: one thread for everything; and JDK virtual threads + a poller pool. */
    static Stream<Rt> runtimes() {
        return Stream.of(
                new Rt("current-thread", Runtimes::currentThread),
                new Rt("multi-thread", () -> Runtimes.multiThreadBuilder().name("sync-test").workers(2).build()),
                new Rt("jdk", Runtimes::jdkDefault));
    }

    /** A waker that counts its wakes. */
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

    /**
     * A poll-task loop: repeatedly makes a future with {@code next}, polls it to completion, and
     * feeds its value to {@code step}; ends with {@code step}'s non-null answer. Lets a test write
     * "loop { select(...) }" as a poll task without a hand-written state machine per test.
     */
    static <T, R> Future<R> pollLoop(Supplier<? extends Future<? extends T>> next, Function<? super T, ? extends R> step) {
        return new Future<>() {
            private Future<? extends T> current;

            @Override
            public Poll<R> poll(Context cx) {
                for (;;) {
                    if (current == null) {
                        current = next.get();
                    }
                    Poll<? extends T> p = current.poll(cx);
                    if (!p.isReady()) {
                        return Poll.pending();
                    }
                    current = null;
                    R done = step.apply(p.value());
                    if (done != null) {
                        return Poll.ready(done);
                    }
                }
            }

            @Override
            public void drop() {
                if (current != null) {
                    current.drop();
                }
            }
        };
    }

    /**
     * A future that is pending until the test {@link #fire() fires} it: a timeout driven by hand,
     * so the "join, then the timeout wins" shape runs without a runtime.
     */
    static final class Trigger implements Future<Void> {
        private boolean fired;

        void fire() {
            fired = true;
        }

        @Override
        public Poll<Void> poll(Context cx) {
            return fired ? Poll.ready(null) : Poll.pending();
        }
    }

    /**
     * {@code select(join(a, b), timeout)} polled once (pending: {@code b} cannot complete yet),
     * then the timeout fires and it is polled again: the join is dropped after {@code a}
     * completed inside it. Returns what the second poll returned (the timeout's side).
     */
    static <A, B> Poll<dev.weft.Either<dev.weft.Both<A, B>, Void>> joinThenTimeout(Future<A> a, Future<B> b) {
        Trigger timeout = new Trigger();
        Future<dev.weft.Either<dev.weft.Both<A, B>, Void>> shape = Future.select(Future.join(a, b), timeout);
        CountingWaker w = new CountingWaker();
        if (!shape.poll(w.cx).isPending()) {
            throw new AssertionError("the join completed: the test needs its second branch to wait");
        }
        timeout.fire();
        return shape.poll(w.cx);
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

package dev.weft.stress;

import dev.weft.Context;
import dev.weft.Waker;
import java.util.concurrent.atomic.AtomicInteger;

/** A waker that counts its wakes, and a context carrying it: what a task would be woken through. */
final class CountingWaker implements Waker {
    private final AtomicInteger wakes = new AtomicInteger();
    final Context cx = new Context(this);

    @Override
    public void wake() {
        wakes.incrementAndGet();
    }

    int count() {
        return wakes.get();
    }
}

package dev.weft.bench;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A count-down latch as a {@link Future}: ready once {@link #countDown()} was called
 * {@code count} times. One awaiter. Used to signal the end of a benchmark round.
 */
public final class Latch implements Future<Void> {
    private final AtomicInteger remaining;
    private final AtomicReference<Waker> waker = new AtomicReference<>();

    public Latch(int count) {
        this.remaining = new AtomicInteger(count);
    }

    public void countDown() {
        if (remaining.decrementAndGet() == 0) {
            Waker w = waker.getAndSet(null);
            if (w != null) {
                w.wake();
            }
        }
    }

    @Override
    public Poll<Void> poll(Context cx) {
        if (remaining.get() <= 0) {
            return Poll.ready(null);
        }
        waker.set(cx.waker());
        return remaining.get() <= 0 ? Poll.ready(null) : Poll.pending();
    }
}

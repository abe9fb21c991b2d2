package dev.weft.sync.lincheck;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;

/** Polls a future once by hand, as a Lincheck operation does: no runtime, a waker that does nothing. */
final class Probe {
    private static final Context NOOP = new Context(Waker.NOOP);

    private Probe() { }

    /** One poll, nothing else. */
    static <T> Poll<T> pollOnce(Future<T> future) {
        return future.poll(NOOP);
    }

    /** The value if the first poll is ready, else {@code null} after cancelling the future. */
    static <T> Poll<T> pollOnceOrCancel(Future<T> future) {
        Poll<T> p = future.poll(NOOP);
        if (p.isPending()) {
            future.drop();
        }
        return p;
    }
}

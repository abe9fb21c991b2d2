package dev.weft.bench.chaos;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;

/**
 * A poll future that is pending {@code n} times (waking itself each time, a yield), then ready
 * with a value or throwing a failure. Before throwing it runs {@code beforeThrow} (a scope child
 * marks that it failed). One poller at a time: plain fields.
 */
final class Yields implements Future<Object> {
    private int left;
    private final Object value;
    private final RuntimeException failure;
    private final Runnable beforeThrow;

    Yields(int n, Object value, RuntimeException failure, Runnable beforeThrow) {
        this.left = n;
        this.value = value;
        this.failure = failure;
        this.beforeThrow = beforeThrow;
    }

    static Yields ready(int n, Object value) {
        return new Yields(n, value, null, null);
    }

    static Yields failing(int n, RuntimeException failure, Runnable beforeThrow) {
        return new Yields(n, null, failure, beforeThrow);
    }

    @Override
    public Poll<Object> poll(Context cx) {
        if (left > 0) {
            left--;
            cx.waker().wake();
            return Poll.pending();
        }
        if (failure != null) {
            if (beforeThrow != null) {
                beforeThrow.run();
            }
            throw failure;
        }
        return Poll.ready(value);
    }
}

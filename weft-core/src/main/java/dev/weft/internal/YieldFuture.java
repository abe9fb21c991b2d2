package dev.weft.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;

/** Pending once (after waking itself), then ready: lets the runtime run other tasks first. */
public final class YieldFuture implements Future<Void> {
    private boolean yielded;

    @Override
    public Poll<Void> poll(Context cx) {
        if (yielded) {
            return Poll.ready(null);
        }
        yielded = true;
        cx.waker().wake();
        return Poll.pending();
    }

    @Override
    public String toString() {
        return yielded ? "yield(yielded)" : "yield";
    }
}

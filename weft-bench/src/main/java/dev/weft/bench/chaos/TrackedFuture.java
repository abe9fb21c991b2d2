package dev.weft.bench.chaos;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;

/**
 * The future of a tracked poll task: records in its {@link Tracked} how the future ended (ready,
 * threw, dropped) and flags a poll after the end (the contract says a future is never polled
 * again after ready) or a {@code drop()} after ready (a task's future that completed is never
 * dropped by its task).
 *
 * <p>Only its task polls it (one poller at a time, ordered by the task's run state), so the plain
 * fields need no further ordering.
 */
final class TrackedFuture<T> implements Future<T> {
    private final Tracked tracked;
    private final Future<T> inner;
    private boolean ended;       // ready or threw: written and read by the polling task only
    private volatile boolean dropped;

    TrackedFuture(Tracked tracked, Future<T> inner) {
        this.tracked = tracked;
        this.inner = inner;
    }

    @Override
    public Poll<T> poll(Context cx) {
        if (ended || dropped) {
            tracked.ledgerPolledAfterEnd(ended ? "ready" : "dropped");
        }
        Poll<T> p;
        try {
            p = inner.poll(cx);
        } catch (RuntimeException | Error e) {
            ended = true;
            tracked.bodyThrew(e);
            throw e;
        }
        if (p.isReady()) {
            ended = true;
            tracked.bodyReturned(p.value());
        }
        return p;
    }

    @Override
    public void drop() {
        if (ended) {
            tracked.ledgerPolledAfterEnd("ready, then dropped");
            return;
        }
        dropped = true;
        inner.drop();
    }
}

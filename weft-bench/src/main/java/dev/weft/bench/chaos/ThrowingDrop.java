package dev.weft.bench.chaos;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A future whose {@code drop()} throws an injected exception (counted in the {@link FaultTally}
 * first): the first drop before it completed throws, later ones do nothing (drop is idempotent).
 * Otherwise it behaves as {@code inner}.
 */
final class ThrowingDrop<T> implements Future<T> {
    private final Future<T> inner;
    private final FaultTally tally;
    private final long id;
    private volatile boolean completed;
    private final AtomicBoolean dropped = new AtomicBoolean();

    ThrowingDrop(World w, Future<T> inner) {
        this.inner = inner;
        this.tally = w.tally;
        this.id = w.nextId();
    }

    @Override
    public Poll<T> poll(Context cx) {
        Poll<T> p = inner.poll(cx);
        if (p.isReady()) {
            completed = true;
        }
        return p;
    }

    @Override
    public void drop() {
        if (completed || !dropped.compareAndSet(false, true)) {
            return;
        }
        inner.drop();
        tally.dropThrown(id);
        throw new Injected(Injected.Kind.DROP, id);
    }

    @Override
    public String toString() {
        return "ThrowingDrop #" + id;
    }
}

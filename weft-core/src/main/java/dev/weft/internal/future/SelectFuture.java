package dev.weft.internal.future;

import dev.weft.Context;
import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Poll;
import java.util.Objects;

/**
 * {@link Future#select}: the first of two to finish; the loser is dropped before the result is
 * returned. A discarded result is {@linkplain Future#release released} to the winner.
 */
public final class SelectFuture<A, B> implements Future<Either<A, B>> {
    private final Future<? extends A> first;
    private final Future<? extends B> second;
    private boolean done;

    public SelectFuture(Future<? extends A> first, Future<? extends B> second) {
        this.first = Objects.requireNonNull(first, "first");
        this.second = Objects.requireNonNull(second, "second");
    }

    @Override
    public Poll<Either<A, B>> poll(Context cx) {
        Poll<? extends A> a;
        try {
            a = first.poll(cx);
        } catch (RuntimeException | Error e) {
            finish(second, e);
            throw e;
        }
        if (a.isReady()) {
            finish(second, null);
            return Poll.ready(new Either.First<>(a.value()));
        }
        Poll<? extends B> b;
        try {
            b = second.poll(cx);
        } catch (RuntimeException | Error e) {
            finish(first, e);
            throw e;
        }
        if (b.isReady()) {
            finish(first, null);
            return Poll.ready(new Either.Second<>(b.value()));
        }
        return Poll.pending();
    }

    /**
     * Drops the loser. A drop that throws is reported, never thrown: the result is the winner's
     * value (which must not be lost: it may be a lock guard or a received message) or the
     * winner's exception ({@code pending}).
     */
    private void finish(Future<?> loser, Throwable pending) {
        done = true;
        try {
            loser.drop();
        } catch (RuntimeException e) {
            Releases.alongside(pending, e);
        }
    }

    @Override
    public void release(Either<A, B> value) {
        switch (value) {
            case Either.First<A, B> a -> Releases.release(first, a.value());
            case Either.Second<A, B> b -> Releases.release(second, b.value());
        }
    }

    @Override
    public void drop() {
        if (!done) {
            done = true;
            RuntimeException failure = null;
            try {
                first.drop();
            } catch (RuntimeException e) {
                failure = e;
            }
            try {
                second.drop();     // even if the first's drop threw
            } catch (RuntimeException e) {
                failure = Releases.keep(failure, e);    // thrown first, this one reported
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    @Override
    public String toString() {
        return "select(" + dev.weft.internal.TaskDump.describe(first) + ", " + dev.weft.internal.TaskDump.describe(second) + ")";
    }
}

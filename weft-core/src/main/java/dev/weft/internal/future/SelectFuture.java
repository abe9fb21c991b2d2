package dev.weft.internal.future;

import dev.weft.Context;
import dev.weft.Either;
import dev.weft.Future;
import dev.weft.Poll;
import java.util.Objects;

/** {@link Future#select}: the first of two to finish; the loser is cancelled before the result is returned. */
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
            finish(second);
            throw e;
        }
        if (a.isReady()) {
            finish(second);
            return Poll.ready(new Either.First<>(a.value()));
        }
        Poll<? extends B> b;
        try {
            b = second.poll(cx);
        } catch (RuntimeException | Error e) {
            finish(first);
            throw e;
        }
        if (b.isReady()) {
            finish(first);
            return Poll.ready(new Either.Second<>(b.value()));
        }
        return Poll.pending();
    }

    private void finish(Future<?> loser) {
        done = true;
        loser.cancel();
    }

    @Override
    public void cancel() {
        if (!done) {
            done = true;
            first.cancel();
            second.cancel();
        }
    }
}

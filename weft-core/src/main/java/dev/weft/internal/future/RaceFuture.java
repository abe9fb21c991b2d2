package dev.weft.internal.future;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import java.util.List;

/** {@link Future#race}: the first of many to finish; the losers are cancelled before the result is returned. */
public final class RaceFuture<T> implements Future<T> {
    private final List<? extends Future<? extends T>> futures;
    private boolean done;

    public RaceFuture(List<? extends Future<? extends T>> futures) {
        if (futures.isEmpty()) {
            throw new IllegalArgumentException("race of no futures would never complete; pass at least one");
        }
        this.futures = List.copyOf(futures);
    }

    @Override
    public Poll<T> poll(Context cx) {
        for (int i = 0; i < futures.size(); i++) {
            Poll<? extends T> p;
            try {
                p = futures.get(i).poll(cx);
            } catch (RuntimeException | Error e) {
                cancelAllBut(i);
                throw e;
            }
            if (p.isReady()) {
                cancelAllBut(i);
                return Poll.ready(p.value());
            }
        }
        return Poll.pending();
    }

    private void cancelAllBut(int winner) {
        done = true;
        for (int i = 0; i < futures.size(); i++) {
            if (i != winner) {
                futures.get(i).cancel();
            }
        }
    }

    @Override
    public void cancel() {
        if (!done) {
            cancelAllBut(-1);
        }
    }
}

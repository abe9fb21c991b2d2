package dev.weft.internal.future;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import java.util.List;

/**
 * {@link Future#race}: the first of many to finish; the losers are dropped before the result is
 * returned (each one, even if another's drop throws). A discarded result is
 * {@linkplain Future#release released} to the winner.
 */
public final class RaceFuture<T> implements Future<T> {
    private final List<? extends Future<? extends T>> futures;
    private boolean done;
    private int winner = -1;

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
                dropAllBut(i, e);
                throw e;
            }
            if (p.isReady()) {
                winner = i;
                dropAllBut(i, null);
                return Poll.ready(p.value());
            }
        }
        return Poll.pending();
    }

    /**
     * Drops every future but {@code keep}, each one even if another's drop throws. With a winner
     * or a winner's exception ({@code keep >= 0}) a drop that throws is reported, never thrown
     * (the winner's value must not be lost); when the race itself is dropped ({@code keep < 0})
     * the first failure is thrown and the others reported.
     */
    private void dropAllBut(int keep, Throwable pending) {
        done = true;
        RuntimeException failure = null;
        for (int i = 0; i < futures.size(); i++) {
            if (i == keep) {
                continue;
            }
            try {
                futures.get(i).drop();
            } catch (RuntimeException e) {
                if (keep >= 0) {
                    Releases.alongside(pending, e);
                } else {
                    failure = Releases.keep(failure, e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void release(T value) {
        if (winner >= 0) {
            Releases.release(futures.get(winner), value);
        }
    }

    @Override
    public void drop() {
        if (!done) {
            dropAllBut(-1, null);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("race(");
        for (int i = 0; i < futures.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(dev.weft.internal.TaskDump.describe(futures.get(i)));
        }
        return sb.append(')').toString();
    }
}

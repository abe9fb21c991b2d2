package dev.weft.internal.future;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import java.util.Arrays;
import java.util.List;

/**
 * {@link Future#join(List)}: polls every unfinished future on each poll; the values in order.
 *
 * <p>Nothing a branch handed out is lost. The first exception drops the unfinished branches,
 * {@linkplain Future#release releases} the values of the finished ones, and becomes the result;
 * {@link #drop()} before completion does the same. Once the join has completed, the list is the
 * consumer's, and {@link #release(List)} passes each value back to the branch that produced it.
 */
public final class JoinAllFuture<T> implements Future<List<T>> {
    private final Future<? extends T>[] branches;
    /** True at i while branch i has not completed (and the join has not been given up). */
    private final boolean[] pending;
    private final Object[] values;
    private int remaining;
    private boolean givenUp;

    @SuppressWarnings({"unchecked", "rawtypes"})
    public JoinAllFuture(List<? extends Future<? extends T>> futures) {
        this.branches = futures.toArray(new Future[0]);
        for (Future<? extends T> f : branches) {
            java.util.Objects.requireNonNull(f, "join of a null future");
        }
        this.values = new Object[branches.length];
        this.pending = new boolean[branches.length];
        Arrays.fill(pending, true);
        this.remaining = branches.length;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Poll<List<T>> poll(Context cx) {
        for (int i = 0; i < branches.length; i++) {
            if (!pending[i]) {
                continue;
            }
            Poll<? extends T> p;
            try {
                p = branches[i].poll(cx);
            } catch (RuntimeException | Error e) {
                pending[i] = false;      // a branch that threw holds nothing to drop
                remaining--;
                giveUp();
                throw e;
            }
            if (p.isReady()) {
                values[i] = p.value();
                pending[i] = false;
                remaining--;
            }
        }
        if (remaining > 0) {
            return Poll.pending();
        }
        givenUp = true;                  // delivered: the values are the consumer's now
        return Poll.ready((List<T>) Arrays.asList(values.clone()));
    }

    @Override
    public void drop() {
        giveUp();
    }

    /** Drops the unfinished branches and gives back what the finished ones returned; once. */
    private void giveUp() {
        if (givenUp) {
            return;
        }
        givenUp = true;
        RuntimeException failure = null;
        for (int i = 0; i < branches.length; i++) {
            try {
                if (pending[i]) {
                    pending[i] = false;
                    branches[i].drop();
                } else {
                    Object v = values[i];
                    values[i] = null;
                    Releases.release(branches[i], v);
                }
            } catch (RuntimeException e) {
                failure = Releases.keep(failure, e);    // every branch gets its turn
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void release(List<T> delivered) {
        RuntimeException failure = null;
        for (int i = 0; i < branches.length && i < delivered.size(); i++) {
            try {
                Releases.release(branches[i], delivered.get(i));
            } catch (RuntimeException e) {
                failure = Releases.keep(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("join(");
        for (int i = 0; i < branches.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(pending[i] ? dev.weft.internal.TaskDump.describe(branches[i]) : "done");
        }
        return sb.append(')').toString();
    }
}

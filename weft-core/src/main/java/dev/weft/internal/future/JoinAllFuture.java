package dev.weft.internal.future;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import java.util.Arrays;
import java.util.List;

/**
 * {@link Future#join(List)}: polls every unfinished future on each poll; the values in order.
 * The first exception cancels the unfinished others and becomes the result.
 */
public final class JoinAllFuture<T> implements Future<List<T>> {
    private final Future<? extends T>[] pending;
    private final Object[] values;
    private int remaining;

    @SuppressWarnings({"unchecked", "rawtypes"})
    public JoinAllFuture(List<? extends Future<? extends T>> futures) {
        this.pending = futures.toArray(new Future[0]);
        for (Future<? extends T> f : pending) {
            java.util.Objects.requireNonNull(f, "join of a null future");
        }
        this.values = new Object[pending.length];
        this.remaining = pending.length;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Poll<List<T>> poll(Context cx) {
        for (int i = 0; i < pending.length; i++) {
            Future<? extends T> f = pending[i];
            if (f == null) {
                continue;
            }
            Poll<? extends T> p;
            try {
                p = f.poll(cx);
            } catch (RuntimeException | Error e) {
                pending[i] = null;
                cancel();
                throw e;
            }
            if (p.isReady()) {
                values[i] = p.value();
                pending[i] = null;
                remaining--;
            }
        }
        if (remaining > 0) {
            return Poll.pending();
        }
        return Poll.ready((List<T>) Arrays.asList(values));
    }

    @Override
    public void cancel() {
        for (int i = 0; i < pending.length; i++) {
            Future<? extends T> f = pending[i];
            if (f != null) {
                pending[i] = null;
                f.cancel();
            }
        }
    }
}

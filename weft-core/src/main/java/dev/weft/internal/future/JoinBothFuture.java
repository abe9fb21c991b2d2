package dev.weft.internal.future;

import dev.weft.Both;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import java.util.List;

/** {@link Future#join(Future, Future)}: a typed pair over {@link JoinAllFuture}. */
public final class JoinBothFuture<A, B> implements Future<Both<A, B>> {
    private final JoinAllFuture<Object> all;

    public JoinBothFuture(Future<? extends A> first, Future<? extends B> second) {
        this.all = new JoinAllFuture<>(List.of(first, second));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Poll<Both<A, B>> poll(Context cx) {
        Poll<List<Object>> p = all.poll(cx);
        if (!p.isReady()) {
            return Poll.pending();
        }
        List<Object> values = p.value();
        return Poll.ready(new Both<>((A) values.get(0), (B) values.get(1)));
    }

    @Override
    public void drop() {
        all.drop();
    }

    @Override
    public void release(Both<A, B> value) {
        all.release(java.util.Arrays.asList(value.first(), value.second()));
    }

    @Override
    public String toString() {
        return all.toString();
    }
}

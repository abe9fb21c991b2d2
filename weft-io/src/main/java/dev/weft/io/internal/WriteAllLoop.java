package dev.weft.io.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.io.IoBuf;
import dev.weft.io.OwnedWrite;
import dev.weft.io.WriteResult;

/**
 * The default {@code OwnedWrite.writeAllOwned}: {@code writeOwned} until the buffer is empty,
 * then the buffer comes back cleared. The first write is issued (and the buffer lent) at once.
 * Cancelling cancels the write in flight, which returns the buffer to its pool.
 */
public final class WriteAllLoop implements Future<WriteResult> {
    private final OwnedWrite out;
    private Future<WriteResult> step;
    private IoBuf buf;
    private int total;

    public WriteAllLoop(OwnedWrite out, IoBuf buf) {
        this.out = out;
        this.buf = buf;
        if (buf.hasRemaining()) {
            this.step = out.writeOwned(buf);
        }
    }

    @Override
    public Poll<WriteResult> poll(Context cx) {
        while (step != null) {
            Poll<WriteResult> p = step.poll(cx);
            if (!p.isReady()) {
                return Poll.pending();
            }
            WriteResult r = p.value();
            total += r.count();
            buf = r.buf();
            step = buf.hasRemaining() ? out.writeOwned(buf) : null;
        }
        buf.clear();
        return Poll.ready(new WriteResult(total, buf));
    }

    @Override
    public void drop() {
        Future<WriteResult> s = step;
        step = null;
        if (s != null) {
            s.drop();
        }
    }
}

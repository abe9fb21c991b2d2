package dev.weft.sync.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.spi.Coop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;

/**
 * A batch receive as a future: ready with the number of messages moved into the sink (0 at the
 * end of the channel). Messages are taken only in the poll that returns, so cancelling a pending
 * one moves nothing (see {@link ChannelCore#pollReceiveMany}). They are taken under the consumer
 * lock into a {@link TakenBatch} and added to the sink after it is released (the sink is user
 * code); if the sink's {@code add} throws, the messages not yet added go back to the channel,
 * first, and the future fails with that exception.
 *
 * <p>{@link #release} (the count is discarded: a join that failed or was dropped after this
 * completed) takes the moved messages back out of the sink and gives them back to the channel,
 * in their original order, to be received first: for each, its last occurrence by identity
 * (a {@code List} whose tail is exactly the batch loses that tail in one step). A message that is
 * no longer in the sink (someone consumed it) stays consumed; a sink that does not support
 * removal keeps everything it does not let go of.
 *
 * <p>Its own {@link WaitNode}. One poller at a time; {@link #drop()} and {@link #release} from any
 * thread.
 *
 * @param <T> the message type
 */
final class RecvManyFuture<T> extends ReceiveNode implements Future<Integer> {
    private static final VarHandle MOVED;

    static {
        try {
            MOVED = MethodHandles.lookup().findVarHandle(RecvManyFuture.class, "moved", TakenBatch.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ChannelCore<T> core;
    private final Collection<? super T> sink;
    private final int max;
    /** Where a poll takes messages; poller-owned (plain), made at the first poll, kept while pending. */
    private TakenBatch<T> taking;
    /**
     * What the ready poll moved into the sink, until given back: a release store after the batch
     * is filled, a getAndSet to take it, so a release on another thread sees the whole batch and
     * only one release acts (the pairing {@link RecvFuture} uses; the tests release on the
     * polling thread: {@code ReleaseReceivesTest}, {@code UnboundedLincheckTest}).
     */
    @SuppressWarnings("unused") // through MOVED
    private TakenBatch<T> moved;

    RecvManyFuture(ChannelCore<T> core, Collection<? super T> sink, int max) {
        this.core = core;
        this.sink = sink;
        this.max = max;
    }

    @Override
    public Poll<Integer> poll(Context cx) {
        if (!Coop.proceed(cx)) {
            return Poll.pending();
        }
        TakenBatch<T> batch = taking;
        if (batch == null) {
            batch = new TakenBatch<>(max);
            taking = batch;
        }
        int n = core.pollReceiveMany(this, cx, batch, max);
        if (n < 0) {
            return Poll.pending();                              // nothing taken: the batch stays empty
        }
        taking = null;
        core.moveToSink(batch, n, sink);                        // a refusing sink: the rest go back, first
        MOVED.setRelease(this, batch);
        return Poll.ready(n);
    }

    @Override
    public void drop() {
        core.receivers.retire(this, true);
    }

    /** The count is discarded: the messages leave the sink and go back to the channel (see the class notes). */
    @Override
    @SuppressWarnings("unchecked")
    public void release(Integer count) {
        TakenBatch<T> batch = (TakenBatch<T>) MOVED.getAndSet(this, null);
        if (batch == null || batch.size() == 0) {
            return;
        }
        boolean[] back = new boolean[batch.size()];
        try {
            takeBackFromSink(batch, back);
        } finally {
            core.giveBack(batch, back);                         // what did leave the sink, even if it threw
        }
    }

    /** Removes the batch's messages from the sink (user code: no lock held); marks those removed. */
    private void takeBackFromSink(TakenBatch<T> batch, boolean[] back) {
        int n = batch.size();
        try {
            if (sink instanceof List<?> list && endsWith(list, batch)) {
                int size = list.size();
                list.subList(size - n, size).clear();
                java.util.Arrays.fill(back, true);
                return;
            }
            for (int i = n - 1; i >= 0; i--) {                  // the last occurrence of the newest first
                back[i] = removeLastIdentical(sink, batch.message(i));
            }
        } catch (UnsupportedOperationException cannotRemove) {
            // The sink keeps what it would not give up (documented); what left it goes back.
        }
    }

    private static boolean endsWith(List<?> list, TakenBatch<?> batch) {
        int n = batch.size();
        int size = list.size();
        if (size < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (list.get(size - n + i) != batch.message(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean removeLastIdentical(Collection<?> sink, Object message) {
        if (sink instanceof List<?> list) {
            ListIterator<?> it = list.listIterator(list.size());
            while (it.hasPrevious()) {
                if (it.previous() == message) {
                    it.remove();
                    return true;
                }
            }
            return false;
        }
        Iterator<?> it = sink.iterator();
        while (it.hasNext()) {
            if (it.next() == message) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "recvMany(" + core + ")";
    }
}

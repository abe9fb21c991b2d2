package dev.weft.internal;

import dev.weft.Poll;
import dev.weft.Stream;
import dev.weft.Weft;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * {@link Weft#iterate}: a stream's items for a sequential loop. The stream is cancelled
 * ({@link Stream#drop()}) when the iteration is closed before its end, and at the latest when the
 * sequential task that made it leaves its body, so a loop left early ({@code break},
 * {@code return}, an exception) never leaves the stream running (issue 18). A stream that ended or
 * threw is not dropped again.
 *
 * <p>Used by the thread that made it (one iteration, one consumer); the task's exit hook runs on
 * that same thread.
 */
public final class StreamIteration<T> implements Weft.Items<T>, Iterator<T>, Runnable {
    private final Stream<T> stream;
    private final StreamNextFuture<T> next;
    private final SeqTask<?> task;
    private Poll<T> lookahead;
    private boolean iterated;
    /** The stream ended, threw, or was dropped: nothing more to do or drop. */
    private boolean finished;

    public StreamIteration(Stream<T> stream) {
        this.stream = java.util.Objects.requireNonNull(stream, "stream");
        this.next = new StreamNextFuture<>(stream);
        Thread self = Thread.currentThread();
        this.task = ExecutionContext.currentTaskOrNull() instanceof SeqTask<?> seq && seq.thread() == self ? seq : null;
        if (task != null) {
            task.addExitHook(this);
        }
    }

    @Override
    public Iterator<T> iterator() {
        if (iterated) {
            throw new IllegalStateException("Weft.iterate(stream) is iterated once: its items are gone once read. "
                    + "Collect them (stream.toList()) to go over them twice.");
        }
        iterated = true;
        return this;
    }

    @Override
    public boolean hasNext() {
        if (lookahead == null) {
            if (finished) {
                return false;
            }
            try {
                lookahead = Await.await(next);
            } catch (RuntimeException | Error e) {
                finish(false);      // the stream threw, or the wait was cancelled (which dropped it)
                throw e;
            }
            if (lookahead.isEnd()) {
                finish(false);
            }
        }
        return lookahead.isReady();
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the stream has ended");
        }
        T item = lookahead.value();
        lookahead = null;
        return item;
    }

    /** Cancels the stream if it has not ended; idempotent. */
    @Override
    public void close() {
        finish(true);
    }

    /** The task's exit hook: its body is over and the loop did not reach the end. */
    @Override
    public void run() {
        finish(true);
    }

    private void finish(boolean drop) {
        if (finished) {
            return;
        }
        finished = true;
        if (task != null) {
            task.removeExitHook(this);
        }
        if (drop) {
            stream.drop();
        }
    }

    @Override
    public String toString() {
        return "iterate(" + TaskDump.describe(stream) + ")";
    }
}

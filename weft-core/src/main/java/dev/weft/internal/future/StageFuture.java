package dev.weft.internal.future;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;
import dev.weft.spi.Faults;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code Future.fromStage}: a {@link CompletionStage} as a Weft future.
 *
 * <h2>Implementation notes</h2>
 * The first poll registers one {@code whenComplete} callback (it runs at once, inside that poll,
 * if the stage is already complete); later polls only replace the waker. The callback writes the
 * outcome, then {@code done} (volatile), then reads the waker; a poll writes the waker
 * (volatile), then reads {@code done}: one of the two sees the other, so no completion is missed.
 * The callback runs on whatever thread completes the stage; the waker it calls is guarded
 * ({@link Faults}).
 */
public final class StageFuture<T> implements Future<T> {
    private final CompletionStage<? extends T> stage;
    private final AtomicReference<Waker> waker = new AtomicReference<>();
    private volatile boolean registered;
    private volatile boolean done;
    private T value;             // written before done, read after
    private Throwable failure;

    public StageFuture(CompletionStage<? extends T> stage) {
        this.stage = stage;
    }

    @Override
    public Poll<T> poll(Context cx) {
        if (done) {
            return outcome();
        }
        waker.set(cx.waker());
        if (!registered) {
            registered = true;
            stage.whenComplete(this::complete);
        }
        return done ? outcome() : Poll.pending();
    }

    private void complete(T v, Throwable e) {
        value = v;
        failure = e;
        done = true;
        dev.weft.internal.Failures.wakeGuarded(waker.get(), "completion of a CompletionStage awaited by Weft");
    }

    private Poll<T> outcome() {
        Throwable e = failure;
        if (e == null) {
            return Poll.ready(value);
        }
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof CancellationException c) {
            CancellationException again = new CancellationException("the CompletionStage was cancelled: " + c.getMessage());
            again.initCause(c);
            throw again;
        }
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        throw new CompletionException(cause);
    }

    /** Dropped before it completed (a cancelled task, a lost select): a CompletableFuture is cancelled too. */
    @Override
    public void drop() {
        if (!done && stage instanceof CompletableFuture<?> cf) {
            cf.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "fromStage(" + (done ? "done" : registered ? "waiting" : "not polled") + ", " + stage + ")";
    }
}

package dev.weft.internal.stream;

import dev.weft.Context;
import dev.weft.Poll;
import dev.weft.Stream;
import dev.weft.WakeSignal;
import dev.weft.Waker;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@link Stream#fromPoll} with a {@link WakeSignal}: items from a non-blocking poll function,
 * polled again when the source signals instead of on a timer.
 *
 * <p>Each poll: {@linkplain WakeSignal#clear() clear} the signal, read {@code isOpen} (before
 * {@code tryNext}, so an item pushed just before closing is not lost), call {@code tryNext}. An
 * item is returned. {@code null} from a closed source ends the stream. Otherwise the task's waker
 * is {@linkplain WakeSignal#register registered}; if a signal came in between the look and the
 * registration, the task wakes itself (it is polled again through the scheduler rather than in a
 * loop here, so a source that signals without items cannot hold the thread). See
 * {@link WakeSignal}'s implementation notes for why no signal is lost.
 *
 * <p>The end (closed source, error from {@code tryNext} or {@code isOpen}) and {@link #drop()}
 * deregister the waker, so later signals wake nobody.
 *
 * <h2>Implementation notes</h2>
 * <p>One poller at a time owns {@link #ended}. {@link #drop()} may run on any thread: it sets
 * {@link #cancelled} (volatile) and deregisters; a poll that registers concurrently re-reads
 * {@code cancelled} after registering and deregisters again, so a cancelled stream never stays
 * registered (the same store-then-load pairing as the signal's).
 *
 * @param <T> the type of the items
 */
public final class SignalPollStream<T> implements Stream<T> {
    private final Supplier<? extends T> tryNext;
    private final BooleanSupplier isOpen;
    private final WakeSignal signal;
    private boolean ended;
    private volatile boolean cancelled;

    public SignalPollStream(Supplier<? extends T> tryNext, BooleanSupplier isOpen, WakeSignal signal) {
        this.tryNext = Objects.requireNonNull(tryNext, "tryNext");
        this.isOpen = Objects.requireNonNull(isOpen, "isOpen");
        this.signal = Objects.requireNonNull(signal, "signal");
    }

    @Override
    public Poll<T> pollNext(Context cx) {
        if (ended) {
            return Poll.end();
        }
        signal.clear();
        boolean open;
        T item;
        try {
            open = isOpen.getAsBoolean();
            item = tryNext.get();
        } catch (RuntimeException | Error e) {
            finish();
            throw e;
        }
        if (item != null) {
            return Poll.ready(item);
        }
        if (!open) {
            finish();
            return Poll.end();
        }
        Waker waker = cx.waker();
        boolean signalledMeanwhile = signal.register(waker);
        if (cancelled) {
            signal.deregister();
            return Poll.pending();
        }
        if (signalledMeanwhile) {
            waker.wake();        // the source signalled after our look: look again on the next poll
        }
        return Poll.pending();
    }

    private void finish() {
        ended = true;
        signal.deregister();
    }

    @Override
    public void drop() {
        cancelled = true;
        signal.deregister();
    }
}

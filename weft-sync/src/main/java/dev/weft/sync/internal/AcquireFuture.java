package dev.weft.sync.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.spi.Coop;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Acquiring permits of a {@link FairSemaphore} as a future; ready with what {@code onGrant} makes
 * (a permit, a guard) once the permits are held. Cancel-safe: {@link #drop()} gives back any
 * permits assigned to it, including a grant that raced with the cancel (see
 * {@link FairSemaphore#cancel}). {@link #release} hands a value this future returned to
 * {@code onRelease}, which closes it (a guard's or permit's close is idempotent, so a user who
 * closes it as well releases the permits once). One poller at a time; {@link #drop()} and
 * {@link #release} from any thread.
 *
 * @param <R> what the acquisition yields
 */
public final class AcquireFuture<R> extends FairSemaphore.Acquire implements Future<R> {
    private final FairSemaphore semaphore;
    private final Supplier<? extends R> onGrant;
    private final Consumer<? super R> onRelease;

    public AcquireFuture(FairSemaphore semaphore, int permits, Supplier<? extends R> onGrant, Consumer<? super R> onRelease) {
        super(permits);
        this.semaphore = semaphore;
        this.onGrant = onGrant;
        this.onRelease = onRelease;
    }

    @Override
    public Poll<R> poll(Context cx) {
        if (!Coop.proceed(cx)) {
            return Poll.pending();
        }
        if (semaphore.pollAcquire(this, cx)) {
            return Poll.ready(onGrant.get());
        }
        return Poll.pending();
    }

    @Override
    public void drop() {
        semaphore.cancel(this);
    }

    /** The value is discarded unused: close it, which gives its permits back (once). */
    @Override
    public void release(R value) {
        if (value != null) {
            onRelease.accept(value);
        }
    }
}

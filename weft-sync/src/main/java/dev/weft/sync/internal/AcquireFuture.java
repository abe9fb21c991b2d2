package dev.weft.sync.internal;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.spi.Coop;
import java.util.function.Supplier;

/**
 * Acquiring permits of a {@link FairSemaphore} as a future; ready with what {@code onGrant} makes
 * (a permit, a guard) once the permits are held. Cancel-safe: {@link #drop()} gives back any
 * permits assigned to it, including a grant that raced with the cancel (see
 * {@link FairSemaphore#cancel}). One poller at a time; {@link #drop()} from any thread.
 *
 * @param <R> what the acquisition yields
 */
public final class AcquireFuture<R> extends FairSemaphore.Acquire implements Future<R> {
    private final FairSemaphore semaphore;
    private final Supplier<? extends R> onGrant;

    public AcquireFuture(FairSemaphore semaphore, int permits, Supplier<? extends R> onGrant) {
        super(permits);
        this.semaphore = semaphore;
        this.onGrant = onGrant;
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
}

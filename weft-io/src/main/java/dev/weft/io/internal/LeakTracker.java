package dev.weft.io.internal;

import java.lang.foreign.MemorySegment;
import java.lang.ref.PhantomReference;

/**
 * Watches one taken buffer's {@link Lease} (which the buffer and all its views reference): if the
 * lease becomes unreachable while taken, the {@link LeakDetector} hands this tracker to its pool,
 * which reports where the buffer was taken and reuses the memory (no view can reach it any more).
 *
 * <p>It references the memory, never the lease. {@link #prev}/{@link #next} link it into its
 * pool's list of outstanding buffers and are guarded by the pool's lock. Given back in time, the
 * pool unlinks it and {@linkplain #clear() clears} it, so it is never enqueued.
 */
public final class LeakTracker extends PhantomReference<Lease> {
    public final Reclaimer pool;
    public final MemorySegment memory;
    public final Throwable takenAt;
    public LeakTracker prev;
    public LeakTracker next;
    public boolean linked;

    public LeakTracker(Lease lease, Reclaimer pool, MemorySegment memory, Throwable takenAt) {
        super(lease, LeakDetector.queue());
        this.pool = pool;
        this.memory = memory;
        this.takenAt = takenAt;
    }
}

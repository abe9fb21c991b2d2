package dev.weft.io.internal;

/** The pool side of a {@link Lease}: where memory goes back. Implemented by {@code BufPool}. */
public interface Reclaimer {
    /** The pool's name, for messages. */
    String name();

    /** An operation the buffer was lent to was cancelled: take the memory back (any thread). */
    void reclaim(Lease lease);

    /** The kernel holds one of this pool's buffers: the memory must outlive a close until {@link #unpin}. */
    default void pin() { }

    /** The kernel let go of a buffer {@linkplain #pin pinned} before. */
    default void unpin() { }

    /** The leak detector found that the buffer of {@code tracker} became unreachable while taken. */
    void collected(LeakTracker tracker);
}

package dev.weft.internal.future;

import dev.weft.Future;

/** Helpers for combinators that give back values ({@link Future#release}). */
final class Releases {
    private Releases() { }

    /** Gives {@code value}, which {@code future} returned, back to it (the cast matches what it returned). */
    @SuppressWarnings("unchecked")
    static <V> void release(Future<V> future, Object value) {
        future.release((V) value);
    }

    /**
     * The first failure is thrown at the end; later ones are {@linkplain dev.weft.spi.Faults
     * reported} (not attached with {@code addSuppressed}, which takes the exception's monitor, and
     * a future may throw one shared instance from several tasks at once: decision 12).
     */
    static RuntimeException keep(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        dev.weft.spi.Faults.report("a combinator cleaning up its branches (a further failure)", null, next);
        return first;
    }

    /**
     * A loser's cleanup failed while the combinator completes with its winner's value or
     * exception ({@code pending}, or null): reported, so the winner stays the result.
     */
    static void alongside(Throwable pending, RuntimeException cleanupFailure) {
        dev.weft.spi.Faults.report(pending == null ? "a combinator dropping a loser"
                : "a combinator dropping a loser while failing with " + pending, null, cleanupFailure);
    }
}

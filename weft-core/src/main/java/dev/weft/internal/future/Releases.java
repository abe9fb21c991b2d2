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

    /** The first failure is thrown at the end; later ones are attached to it. */
    static RuntimeException keep(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}

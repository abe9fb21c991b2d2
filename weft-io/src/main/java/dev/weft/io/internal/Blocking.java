package dev.weft.io.internal;

import dev.weft.Future;
import dev.weft.Weft;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The sequential forms of weft-io's futures: park until ready, and throw I/O errors as checked. */
public final class Blocking {
    private Blocking() { }

    /**
     * {@link Weft#await} of {@code op}, rethrowing an {@link UncheckedIOException} from a poll as
     * the {@link IOException} it carries, as {@code java.io} code expects.
     */
    public static <T> T await(Future<T> op) throws IOException {
        try {
            return Weft.await(op);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}

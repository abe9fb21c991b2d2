package dev.weft;

import java.util.concurrent.CancellationException;

/**
 * Thrown where a cancelled task waits: by {@link Weft#await} and every parking Weft call inside a
 * sequential task after {@link Task#cancel()}, and by {@link Task#join()} of a cancelled task.
 *
 * <p>Let it propagate: the task's {@code finally} blocks run on the way out. Cleanup that must
 * itself wait runs inside {@link Weft#shielded(java.util.concurrent.Callable)}. It extends the
 * JDK's {@link CancellationException}, so code written against {@code java.util.concurrent}
 * recognises it.
 */
public class CancelledException extends CancellationException {
    private static final long serialVersionUID = 1L;

    /** A cancellation with a message naming what was cancelled. */
    public CancelledException(String message) {
        super(message);
    }
}

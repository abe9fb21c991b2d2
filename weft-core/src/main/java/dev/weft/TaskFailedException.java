package dev.weft;

/**
 * Thrown by {@link Task#join()} (and by awaiting a task) when the task's body threw: the cause is
 * the body's exception, with its own stack trace; this exception's stack trace shows where the
 * result was awaited.
 *
 * <p>Thrown by a {@link TaskScope} when a child failed: the cause is the first failure and the
 * other children's failures are {@linkplain #getSuppressed() suppressed} on it.
 */
public class TaskFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure of the task described by {@code message}. */
    public TaskFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.weft;

/**
 * Thrown when a {@linkplain Future#timeout(java.time.Duration) timeout} expires before the work
 * finished. The work was cancelled (and, for a sequential body, its {@code finally} blocks ran)
 * before this is thrown.
 */
public class TimedOutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A timeout described by {@code message}. */
    public TimedOutException(String message) {
        super(message);
    }
}

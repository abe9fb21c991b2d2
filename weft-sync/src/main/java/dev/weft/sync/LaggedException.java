package dev.weft.sync;

/**
 * A {@link Broadcast} receiver fell so far behind that the oldest messages it had not seen were
 * overwritten. {@link #missed()} says how many; the receiver has moved on to the oldest message
 * still retained, so the next receive continues from there.
 *
 * {@snippet class="dev.weft.sync.snippets.BroadcastSnippets" region="lagged"}
 */
public class LaggedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long missed;

    /** The receiver missed {@code missed} messages. */
    public LaggedException(long missed) {
        super("the receiver lagged behind and missed " + missed + " message" + (missed == 1 ? "" : "s"));
        this.missed = missed;
    }

    /** How many messages this receiver will never see. */
    public long missed() {
        return missed;
    }
}

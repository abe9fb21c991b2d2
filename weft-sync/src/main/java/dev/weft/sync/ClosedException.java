package dev.weft.sync;

/**
 * The other side of a channel is gone. Thrown by a send when the receiver was closed (the message
 * was not delivered and comes back through {@link #value()}), and by a receive when every sender
 * was closed and every buffered message was received (the end of the channel; no value).
 *
 * {@snippet class="dev.weft.sync.snippets.ChannelSnippets" region="closedValue"}
 *
 * <p>Unchecked, like the JDK's {@link IllegalStateException}: the end of a channel is usually
 * handled by the loop that reads it ({@code for (T m : receiver)} ends normally), not at every
 * call.
 */
public class ClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The undelivered message; never serialized. */
    private final transient Object value;

    /** The channel has ended: no value comes back. */
    public ClosedException(String message) {
        this(message, null);
    }

    /** The receiver is gone: {@code value} was not delivered and is handed back. */
    public ClosedException(String message, Object value) {
        super(message);
        this.value = value;
    }

    /**
     * The message that was not delivered, handed back to the sender; {@code null} when this
     * exception marks the end of a receive. The type is the channel's: {@code Job j = e.value();}.
     */
    @SuppressWarnings("unchecked")
    public <T> T value() {
        return (T) value;
    }

    /** True if this exception carries an undelivered message. */
    public boolean hasValue() {
        return value != null;
    }
}

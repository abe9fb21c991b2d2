package dev.weft.io;

import java.io.IOException;
import java.util.Objects;

/**
 * An I/O error of an owned operation ({@link OwnedRead}, {@link OwnedWrite}); it hands the
 * buffer back, so an error never strands a buffer. The buffer's position tells how many bytes
 * were transferred before the error.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="ownedError"}
 */
public class BufIOException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient IoBuf buf;

    /** An error with the buffer handed back; the message is the cause's. */
    public BufIOException(IOException cause, IoBuf buf) {
        super(Objects.requireNonNull(cause, "cause").getMessage(), cause);
        this.buf = Objects.requireNonNull(buf, "buf");
    }

    /** An error with its own message and the buffer handed back. */
    public BufIOException(String message, IOException cause, IoBuf buf) {
        super(message, cause);
        this.buf = Objects.requireNonNull(buf, "buf");
    }

    /** The buffer that was lent to the failed operation, usable again. */
    public IoBuf buf() {
        return buf;
    }
}

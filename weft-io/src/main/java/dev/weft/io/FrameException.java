package dev.weft.io;

import java.io.IOException;

/**
 * A frame that a codec cannot accept: larger than the limit ({@link Kind#OVERSIZED}), not in the
 * codec's format ({@link Kind#MALFORMED}), or cut off by the end of the stream
 * ({@link Kind#TRUNCATED}). The message names the limit, the size seen, and the fix.
 *
 * <p>After a {@code FrameException} from reading, the {@link Framed} cannot find the next frame
 * boundary: every later read throws the same exception. Writing still works (so a server can
 * answer with an error before closing), and the failure concerns that connection only: close it.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="frameError"}
 */
public class FrameException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the frame. */
    public enum Kind {
        /** Longer than the codec's limit. */
        OVERSIZED,
        /** Not in the codec's format (a negative length, invalid UTF-8, a line break inside an outgoing line). */
        MALFORMED,
        /** The stream ended in the middle of a frame. */
        TRUNCATED
    }

    private final Kind kind;
    private final long limit;
    private final long size;

    /**
     * A frame error.
     *
     * @param kind    what is wrong
     * @param message what happened, the limit and size, and the fix
     * @param limit   the codec's limit in bytes, or -1 if not about size
     * @param size    the size seen in bytes (or announced by a length prefix), or -1
     */
    public FrameException(Kind kind, String message, long limit, long size) {
        super(message);
        this.kind = kind;
        this.limit = limit;
        this.size = size;
    }

    /** A frame error with a cause (such as a {@link java.nio.charset.CharacterCodingException}). */
    public FrameException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.limit = -1;
        this.size = -1;
    }

    /** What is wrong with the frame. */
    public Kind kind() {
        return kind;
    }

    /** The codec's limit in bytes, or -1. */
    public long limit() {
        return limit;
    }

    /** The size seen (or announced) in bytes, or -1. */
    public long size() {
        return size;
    }
}

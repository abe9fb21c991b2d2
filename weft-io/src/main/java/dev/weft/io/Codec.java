package dev.weft.io;

/**
 * Turns bytes into frames and frames into bytes, for {@link Framed}. Write one for your protocol;
 * {@link Codecs} has line and length-prefix framing. A codec instance may keep state between calls
 * (how far it has scanned) and belongs to one {@code Framed}.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="codec"}
 *
 * <p>Limits are the codec's job: a decoder that returns {@code null} forever makes {@code Framed}
 * buffer without bound, so reject a frame as soon as it is known to be too large.
 *
 * @param <T> the frame type
 */
public interface Codec<T> {

    /**
     * Decodes the next frame from the front of {@code src}, a read-only view of the bytes received
     * and not yet decoded (position..limit). On success advance {@code src}'s position past the
     * frame and return it; if more bytes are needed return {@code null} (where the position is
     * left does not matter). The view is valid during this call only.
     *
     * @throws FrameException if the bytes cannot be a valid frame
     */
    T decode(IoBuf src) throws FrameException;

    /**
     * The stream ended and {@link #decode} needs more bytes than {@code src} (non-empty) holds:
     * return a last frame made of them, or throw. The default throws
     * {@link FrameException.Kind#TRUNCATED}.
     */
    default T decodeEof(IoBuf src) throws FrameException {
        throw new FrameException(FrameException.Kind.TRUNCATED, "the stream ended in the middle of a frame: "
                + src.remaining() + " bytes of an unfinished frame were received. The peer closed the connection or "
                + "crashed while sending; this connection's last frame is lost", -1, src.remaining());
    }

    /** An upper bound of the bytes {@link #encode} writes for {@code item} (it gets at least that much room). */
    int maxEncodedLength(T item);

    /**
     * Writes {@code item}'s bytes into {@code dst} at its position, which has at least
     * {@link #maxEncodedLength} bytes of room. If it throws, nothing is sent.
     *
     * @throws FrameException if {@code item} cannot be sent (larger than the limit, malformed)
     */
    void encode(T item, IoBuf dst) throws FrameException;
}

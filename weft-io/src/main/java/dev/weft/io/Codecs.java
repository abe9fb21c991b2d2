package dev.weft.io;

import dev.weft.io.internal.LengthDelimitedCodec;
import dev.weft.io.internal.LineCodec;
import java.nio.charset.CodingErrorAction;
import java.util.Objects;

/**
 * Ready-made framing: lines of UTF-8 text, and 4-byte length-prefixed messages, each with a limit.
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="framed"}
 *
 * <p>Both reject bad input with a {@link FrameException} that names the limit, the size seen and
 * the fix, and concerns that connection only.
 */
public final class Codecs {
    private Codecs() { }

    /**
     * Lines of UTF-8 text over {@code io}: each frame ends with {@code \n} ({@code \r\n} works too;
     * the line break is not part of the frame); {@code send} appends {@code \n}, and refuses
     * ({@link FrameException.Kind#MALFORMED}, nothing sent) a line with a {@code \n} anywhere in
     * it or a {@code \r} at its end, which would not arrive as the one line that was sent.
     * A line longer than {@code maxLineLength} bytes (without the line break) is
     * {@link FrameException.Kind#OVERSIZED}, detected as soon as that many bytes arrive without a
     * line break; invalid UTF-8 is {@link FrameException.Kind#MALFORMED}. A last line without a
     * line break before the end of stream is returned as a line.
     */
    public static Framed<String> lines(AsyncIo io, int maxLineLength) {
        return Framed.of(io, lineCodec(maxLineLength, CodingErrorAction.REPORT));
    }

    /**
     * {@link #lines(AsyncIo, int)} with a choice for malformed UTF-8: {@link CodingErrorAction#REPORT}
     * (the default: a {@link FrameException}), {@link CodingErrorAction#REPLACE} (U+FFFD) or
     * {@link CodingErrorAction#IGNORE}.
     */
    public static Framed<String> lines(AsyncIo io, int maxLineLength, CodingErrorAction onMalformed) {
        return Framed.of(io, lineCodec(maxLineLength, onMalformed));
    }

    /**
     * Messages with a 4-byte big-endian length prefix over {@code io}: a frame of
     * {@code n <= maxFrameLength} bytes is sent as {@code n} then the bytes. A received length
     * above the limit is {@link FrameException.Kind#OVERSIZED} (rejected before any of it is
     * buffered), a negative one {@link FrameException.Kind#MALFORMED}, and an end of stream inside
     * a frame {@link FrameException.Kind#TRUNCATED}.
     */
    public static Framed<byte[]> lengthDelimited(AsyncIo io, int maxFrameLength) {
        return Framed.of(io, lengthDelimitedCodec(maxFrameLength));
    }

    /** The line codec alone, for {@link Framed#of(AsyncRead, AsyncWrite, Codec)}. One per {@code Framed}. */
    public static Codec<String> lineCodec(int maxLineLength, CodingErrorAction onMalformed) {
        return new LineCodec(maxLineLength, Objects.requireNonNull(onMalformed, "onMalformed"));
    }

    /** The length-prefix codec alone. One per {@code Framed}. */
    public static Codec<byte[]> lengthDelimitedCodec(int maxFrameLength) {
        return new LengthDelimitedCodec(maxFrameLength);
    }
}

package dev.weft.io.internal;

import dev.weft.io.FrameException;
import dev.weft.io.IoBuf;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of one line being assembled, and their UTF-8 decoding: shared by the line codec and
 * {@code Io.lines}. Lines end at {@code \n}; a {@code \r} before it is dropped. The limit counts
 * the line's bytes without the line break. Single-threaded.
 */
public final class LineBytes {
    private final int maxLineLength;
    private final CodingErrorAction onMalformed;
    private final String where;
    private byte[] bytes = new byte[128];
    private int length;
    private CharsetDecoder decoder;
    private CharBuffer chars;

    public LineBytes(int maxLineLength, CodingErrorAction onMalformed, String where) {
        if (maxLineLength <= 0) {
            throw new IllegalArgumentException("maxLineLength must be > 0, got " + maxLineLength);
        }
        this.maxLineLength = maxLineLength;
        this.onMalformed = onMalformed;
        this.where = where;
    }

    public int maxLineLength() {
        return maxLineLength;
    }

    /** Bytes gathered so far. */
    public int length() {
        return length;
    }

    /**
     * Fails if a line of {@code seen} bytes with no line break yet is already too long
     * (one byte of slack for a {@code \r} that may precede the {@code \n}).
     */
    public void checkUnterminated(long seen) throws FrameException {
        if (seen > (long) maxLineLength + 1) {
            throw tooLong(seen, false);
        }
    }

    private FrameException tooLong(long seen, boolean complete) {
        return new FrameException(FrameException.Kind.OVERSIZED, "line " + (complete ? "of " + seen + " bytes" : "of more than "
                + (seen - 1) + " bytes (no line break yet)") + " exceeds the limit of " + maxLineLength + " bytes (" + where
                + "). Raise maxLineLength if such lines are legitimate; otherwise the peer is misbehaving: close this "
                + "connection", maxLineLength, seen);
    }

    /** Appends {@code n} bytes of {@code src} from absolute {@code index}. */
    public void append(IoBuf src, int index, int n) {
        if (length + n > bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
        }
        src.get(index, bytes, length, n);
        length += n;
    }

    /** The gathered bytes as a line (a trailing {@code \r} dropped), checked and decoded; then empty. */
    public String takeLine() throws FrameException {
        int n = length;
        length = 0;
        if (n > 0 && bytes[n - 1] == '\r') {
            n--;
        }
        if (n > maxLineLength) {
            throw tooLong(n, true);
        }
        return decode(bytes, n);
    }

    private String decode(byte[] b, int n) throws FrameException {
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, 0, n, StandardCharsets.ISO_8859_1);     // same chars, the JDK's fastest path
        }
        if (onMalformed == CodingErrorAction.REPLACE) {
            return new String(b, 0, n, StandardCharsets.UTF_8);
        }
        if (decoder == null) {
            decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(onMalformed).onUnmappableCharacter(onMalformed);
        }
        if (chars == null || chars.capacity() < n) {
            chars = CharBuffer.allocate(Math.max(n, 64));
        }
        chars.clear();
        decoder.reset();
        ByteBuffer in = ByteBuffer.wrap(b, 0, n);
        CoderResult r = decoder.decode(in, chars, true);
        if (!r.isError()) {
            r = decoder.flush(chars);
        }
        if (r.isError()) {
            int at = in.position();
            CharacterCodingException cause;
            try {
                r.throwException();
                cause = null;
            } catch (CharacterCodingException e) {
                cause = e;
            }
            throw new FrameException(FrameException.Kind.MALFORMED, "malformed line: not valid UTF-8 at byte " + at + " of a "
                    + n + "-byte line (" + where + "). The peer must send UTF-8 text; to accept anything, build the codec "
                    + "with CodingErrorAction.REPLACE", cause);
        }
        chars.flip();
        return chars.toString();
    }
}

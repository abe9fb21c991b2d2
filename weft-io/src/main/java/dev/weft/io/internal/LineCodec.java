package dev.weft.io.internal;

import dev.weft.io.Codec;
import dev.weft.io.FrameException;
import dev.weft.io.IoBuf;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Line framing ({@code Codecs.lines}): UTF-8 text, each frame ends with {@code \n} (a {@code \r}
 * before it is dropped); sending appends {@code \n}. At the end of the stream, a last line without
 * a line break is returned as a line (as {@code BufferedReader} does).
 */
public final class LineCodec implements Codec<String> {
    private final LineBytes line;
    private int scanned;        // bytes at the front of src already known to hold no '\n'

    public LineCodec(int maxLineLength, CodingErrorAction onMalformed) {
        this.line = new LineBytes(maxLineLength, onMalformed, "line codec");
    }

    @Override
    public String decode(IoBuf src) throws FrameException {
        int start = src.position();
        int from = start + scanned;
        int nl = -1;
        for (int i = from, end = src.limit(); i < end; i++) {
            if (src.get(i) == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0) {
            scanned = src.limit() - start;
            line.checkUnterminated(scanned);
            return null;
        }
        scanned = 0;
        line.append(src, start, nl - start);
        src.position(nl + 1);
        return line.takeLine();
    }

    @Override
    public String decodeEof(IoBuf src) throws FrameException {
        scanned = 0;
        int n = src.remaining();
        line.append(src, src.position(), n);
        src.advance(n);
        return line.takeLine();
    }

    @Override
    public int maxEncodedLength(String item) {
        return item.length() * 3 + 1;
    }

    /**
     * Writes {@code item} as UTF-8 and a {@code \n}. Refused ({@link FrameException.Kind#MALFORMED}),
     * before anything is written: a {@code \n} anywhere (it would arrive as two lines: line
     * injection), and a {@code \r} at the end (the peer would take it for half of a CRLF and drop
     * it). A {@code \r} elsewhere is an ordinary character, as it is to the decoder.
     */
    @Override
    public void encode(String item, IoBuf dst) throws FrameException {
        int n = item.length();
        int nl = item.indexOf('\n');        // the whole string, whatever characters come before
        if (nl >= 0) {
            throw new FrameException(FrameException.Kind.MALFORMED, "outgoing line contains a line break at index " + nl
                    + ": a line-codec frame cannot contain '\\n' (it would arrive as two lines). Split it, or use "
                    + "Codecs.lengthDelimited for arbitrary text", line.maxLineLength(), n);
        }
        if (n > 0 && item.charAt(n - 1) == '\r') {
            throw new FrameException(FrameException.Kind.MALFORMED, "outgoing line ends with '\\r' (index " + (n - 1)
                    + "): the peer would read it as part of a CRLF line break and drop it. Remove the trailing '\\r', or "
                    + "use Codecs.lengthDelimited for arbitrary text", line.maxLineLength(), n);
        }
        int start = dst.position();
        for (int i = 0; i < n; i++) {
            char c = item.charAt(i);
            if (c >= 0x80) {
                dst.position(start);
                dst.put(item.getBytes(StandardCharsets.UTF_8));
                break;
            }
            dst.put((byte) c);
        }
        int bytes = dst.position() - start;
        if (bytes > line.maxLineLength()) {
            throw new FrameException(FrameException.Kind.OVERSIZED, "outgoing line of " + bytes + " bytes exceeds the limit "
                    + "of " + line.maxLineLength() + " bytes; the peer would reject it. Send shorter lines or raise the "
                    + "limit on both sides", line.maxLineLength(), bytes);
        }
        dst.put((byte) '\n');
    }
}

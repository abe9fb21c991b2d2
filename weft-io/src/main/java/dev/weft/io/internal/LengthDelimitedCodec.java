package dev.weft.io.internal;

import dev.weft.io.Codec;
import dev.weft.io.FrameException;
import dev.weft.io.IoBuf;

/**
 * Length-prefix framing ({@code Codecs.lengthDelimited}): each frame is a 4-byte big-endian length,
 * then that many bytes. A length above the limit is rejected as soon as the 4 bytes arrive (nothing
 * of the frame is buffered); a negative length is malformed.
 */
public final class LengthDelimitedCodec implements Codec<byte[]> {
    private final int maxFrameLength;

    public LengthDelimitedCodec(int maxFrameLength) {
        if (maxFrameLength < 0) {
            throw new IllegalArgumentException("maxFrameLength must be >= 0, got " + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    public byte[] decode(IoBuf src) throws FrameException {
        if (src.remaining() < 4) {
            return null;
        }
        int p = src.position();
        int length = src.getInt(p);
        if (length < 0) {
            throw new FrameException(FrameException.Kind.MALFORMED, String.format("malformed frame: the length prefix is "
                    + "negative (%d, bytes %08x). The peer does not speak this 4-byte big-endian length-prefixed protocol "
                    + "(or the stream lost its place): close this connection", length, length), maxFrameLength, length);
        }
        if (length > maxFrameLength) {
            throw new FrameException(FrameException.Kind.OVERSIZED, "frame of " + length + " bytes exceeds the limit of "
                    + maxFrameLength + " bytes (length-delimited codec). Raise maxFrameLength in "
                    + "Codecs.lengthDelimited(io, max) if such frames are legitimate; otherwise the peer is misbehaving: "
                    + "close this connection", maxFrameLength, length);
        }
        if (src.remaining() - 4 < length) {
            return null;
        }
        byte[] frame = new byte[length];
        src.get(p + 4, frame, 0, length);
        src.position(p + 4 + length);
        return frame;
    }

    @Override
    public byte[] decodeEof(IoBuf src) throws FrameException {
        int have = src.remaining();
        String expected = have >= 4 ? "4 + " + src.getInt(src.position()) : "at least 4 (the length prefix)";
        throw new FrameException(FrameException.Kind.TRUNCATED, "the stream ended in the middle of a frame: " + have
                + " bytes received of " + expected + ". The peer closed the connection or crashed while sending; this "
                + "connection's last frame is lost", maxFrameLength, have);
    }

    @Override
    public int maxEncodedLength(byte[] item) {
        return 4 + item.length;
    }

    @Override
    public void encode(byte[] item, IoBuf dst) throws FrameException {
        if (item.length > maxFrameLength) {
            throw new FrameException(FrameException.Kind.OVERSIZED, "outgoing frame of " + item.length + " bytes exceeds "
                    + "the limit of " + maxFrameLength + " bytes; the peer would reject it. Split it or raise the limit "
                    + "on both sides", maxFrameLength, item.length);
        }
        dst.putInt(item.length).put(item);
    }
}

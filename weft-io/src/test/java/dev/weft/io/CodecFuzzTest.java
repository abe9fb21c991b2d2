package dev.weft.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Context;
import dev.weft.Poll;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing of the two codecs through {@link Framed} (issue 12, fault 9): byte streams cut into
 * chunks at random points, read through a reader that also answers "pending" now and then.
 * Garbage gives frames or a {@link FrameException} of a kind the codec can report, never another
 * exception, never a hang; valid frames come out exactly as sent whatever the cuts.
 */
class CodecFuzzTest {
    private static final int MAX = 512;
    private static final Set<FrameException.Kind> LENGTH_KINDS =
            EnumSet.of(FrameException.Kind.MALFORMED, FrameException.Kind.OVERSIZED, FrameException.Kind.TRUNCATED);
    private static final Set<FrameException.Kind> LINE_KINDS =
            EnumSet.of(FrameException.Kind.MALFORMED, FrameException.Kind.OVERSIZED);

    /** Hands out the chunks, one read at a time (a read takes what fits), answering PENDING before every other chunk. */
    static final class ChunkedReader implements AsyncRead {
        private final List<byte[]> chunks;
        private int index;
        private int offset;
        private boolean pendingDone;
        int reads;

        ChunkedReader(List<byte[]> chunks) {
            this.chunks = chunks;
        }

        @Override
        public int pollRead(Context cx, IoBuf dst) {
            reads++;
            while (index < chunks.size() && offset == chunks.get(index).length) {
                index++;
                offset = 0;
                pendingDone = false;
            }
            if (index == chunks.size()) {
                return EOF;
            }
            if (!pendingDone && index % 2 == 1) {
                pendingDone = true;
                cx.waker().wake();
                return PENDING;
            }
            byte[] c = chunks.get(index);
            int n = Math.min(dst.remaining(), c.length - offset);
            dst.put(c, offset, n);
            offset += n;
            return n;
        }
    }

    /** What reading a whole stream gave: the frames, then the end or a frame error. */
    record Outcome<T>(List<T> frames, FrameException error) { }

    /**
     * Polls {@code framed} by hand to the end, or to its error; fails on any other exception and
     * on a hang (more polls than the stream could need).
     */
    static <T> Outcome<T> readAll(Framed<T> framed, ChunkedReader in, int totalBytes, int chunkCount) {
        Context cx = Context.noop();
        List<T> frames = new ArrayList<>();
        int bound = 4 * (totalBytes + chunkCount) + 64;
        for (int polls = 0; polls < bound; polls++) {
            Poll<T> p;
            try {
                p = framed.pollNext(cx);
            } catch (UncheckedIOException e) {
                assertThat(e.getCause()).as("a frame error, not another I/O error").isInstanceOf(FrameException.class);
                FrameException fe = (FrameException) e.getCause();
                // the error sticks: the next read throws it again
                try {
                    framed.pollNext(cx);
                    throw new AssertionError("a read after a frame error returned instead of throwing it again");
                } catch (UncheckedIOException again) {
                    assertThat(again.getCause()).isSameAs(fe);
                }
                return new Outcome<>(frames, fe);
            }
            if (p.isEnd()) {
                return new Outcome<>(frames, null);
            }
            if (p.isReady()) {
                frames.add(p.value());
            }
        }
        throw new AssertionError("no end after " + bound + " polls (" + in.reads + " reads) of a " + totalBytes
                + "-byte stream in " + chunkCount + " chunks: Framed hangs");
    }

    /** {@code stream} cut before each of {@code cuts} (positions taken modulo its length, sorted). */
    static List<byte[]> cut(byte[] stream, List<Integer> cuts) {
        List<Integer> at = new ArrayList<>();
        for (int c : cuts) {
            at.add(stream.length == 0 ? 0 : Math.floorMod(c, stream.length + 1));
        }
        at.sort(null);
        List<byte[]> chunks = new ArrayList<>();
        int from = 0;
        for (int c : at) {
            chunks.add(java.util.Arrays.copyOfRange(stream, from, Math.max(from, c)));
            from = Math.max(from, c);
        }
        chunks.add(java.util.Arrays.copyOfRange(stream, from, stream.length));
        return chunks;
    }

    static <T> byte[] encode(Codec<T> codec, List<T> frames) throws Exception {
        IoBuf out = IoBuf.allocate(64);
        for (T f : frames) {
            int need = codec.maxEncodedLength(f);
            if (out.remaining() < need) {
                IoBuf bigger = IoBuf.allocate(Math.max(out.capacity() * 2, out.position() + need));
                bigger.put(out.flip());
                out = bigger;
            }
            codec.encode(f, out);
        }
        return out.flip().toByteArray();
    }

    static <T> Outcome<T> decode(Function<AsyncRead, Framed<T>> framing, byte[] stream, List<Integer> cuts) {
        List<byte[]> chunks = cut(stream, cuts);
        ChunkedReader in = new ChunkedReader(chunks);
        return readAll(framing.apply(in), in, stream.length, chunks.size());
    }

    // ------------------------------------------------------------------ arbitraries

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 1 << 20).list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000);
        // garbage near the codecs' own shapes: small length prefixes, text with line breaks and stray UTF-8 bytes
        Arbitrary<byte[]> shaped = Arbitraries.of((byte) 0, (byte) 1, (byte) 2, (byte) '\n', (byte) '\r', (byte) 'a',
                (byte) 0xc3, (byte) 0xa9, (byte) 0xe2, (byte) 0x82, (byte) 0xff, (byte) 0x80).array(byte[].class).ofMaxSize(2_000);
        return Arbitraries.oneOf(random, shaped);
    }

    @Provide
    Arbitrary<List<byte[]>> binaryFrames() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(MAX).list().ofMaxSize(20);
    }

    /** Lines that the codec accepts: any characters but surrogates and '\n', no '\r' at the end, within the limit. */
    @Provide
    Arbitrary<List<String>> lines() {
        Arbitrary<String> line = Arbitraries.strings()
                .withCharRange('\u0000', '\u0009').withCharRange('\u000b', '\ud7ff').withCharRange('\ue000', '\ufffd')
                .ofMaxLength(MAX / 3)
                .filter(s -> !s.endsWith("\r"));
        Arbitrary<String> ascii = Arbitraries.strings().withChars("ab \r\té日").ofMaxLength(40).filter(s -> !s.endsWith("\r"));
        return Arbitraries.oneOf(line, ascii).list().ofMaxSize(20);
    }

    // ------------------------------------------------------------------ properties

    @Property(tries = 300)
    void lengthDelimitedGarbageIsFramesOrAFrameError(@ForAll("garbage") byte[] stream, @ForAll("cuts") List<Integer> cuts) {
        Outcome<byte[]> out = decode(in -> Framed.of(in, null, Codecs.lengthDelimitedCodec(MAX)), stream, cuts);
        if (out.error() != null) {
            assertThat(LENGTH_KINDS).contains(out.error().kind());
        }
        // whatever came out before the error is exactly what the stream held, frame by frame
        int at = 0;
        for (byte[] f : out.frames()) {
            assertThat(java.nio.ByteBuffer.wrap(stream, at, 4).getInt()).isEqualTo(f.length);
            assertThat(java.util.Arrays.copyOfRange(stream, at + 4, at + 4 + f.length)).isEqualTo(f);
            at += 4 + f.length;
        }
        if (out.error() == null) {
            assertThat(at).as("a clean end consumed the whole stream").isEqualTo(stream.length);
        }
    }

    @Property(tries = 300)
    void lineGarbageIsLinesOrAFrameError(@ForAll("garbage") byte[] stream, @ForAll("cuts") List<Integer> cuts) {
        Outcome<String> out = decode(in -> Framed.of(in, null, Codecs.lineCodec(MAX, CodingErrorAction.REPORT)), stream, cuts);
        if (out.error() != null) {
            assertThat(LINE_KINDS).contains(out.error().kind());
        }
        for (String line : out.frames()) {
            assertThat(line).doesNotContain("\n");
            assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(MAX);
        }
    }

    @Property(tries = 300)
    void lineGarbageWithReplacementNeverFails(@ForAll("garbage") byte[] stream, @ForAll("cuts") List<Integer> cuts) {
        Outcome<String> out = decode(in -> Framed.of(in, null, Codecs.lineCodec(MAX, CodingErrorAction.REPLACE)), stream, cuts);
        if (out.error() != null) {
            assertThat(out.error().kind()).as("with REPLACE only a long line is an error").isEqualTo(FrameException.Kind.OVERSIZED);
        }
    }

    @Property(tries = 300)
    void validBinaryFramesComeOutAsSentWhateverTheCuts(@ForAll("binaryFrames") List<byte[]> frames,
                                                       @ForAll("cuts") List<Integer> cuts) throws Exception {
        byte[] stream = encode(Codecs.lengthDelimitedCodec(MAX), frames);
        Outcome<byte[]> out = decode(in -> Framed.of(in, null, Codecs.lengthDelimitedCodec(MAX)), stream, cuts);
        assertThat(out.error()).isNull();
        assertThat(out.frames()).hasSameSizeAs(frames);
        for (int i = 0; i < frames.size(); i++) {
            assertThat(out.frames().get(i)).as("frame %d", i).isEqualTo(frames.get(i));
        }
    }

    @Property(tries = 300)
    void validLinesComeOutAsSentWhateverTheCuts(@ForAll("lines") List<String> lines, @ForAll("cuts") List<Integer> cuts)
            throws Exception {
        byte[] stream = encode(Codecs.lineCodec(MAX, CodingErrorAction.REPORT), lines);
        Outcome<String> out = decode(in -> Framed.of(in, null, Codecs.lineCodec(MAX, CodingErrorAction.REPORT)), stream, cuts);
        assertThat(out.error()).isNull();
        assertThat(out.frames()).containsExactlyElementsOf(lines);
    }

    /** Valid frames then garbage: the valid ones come out first, exactly, whatever follows. */
    @Property(tries = 200)
    void validFramesBeforeGarbageComeOutIntact(@ForAll("binaryFrames") List<byte[]> frames, @ForAll("garbage") byte[] tail,
                                               @ForAll("cuts") List<Integer> cuts) throws Exception {
        byte[] valid = encode(Codecs.lengthDelimitedCodec(MAX), frames);
        byte[] stream = java.util.Arrays.copyOf(valid, valid.length + tail.length);
        System.arraycopy(tail, 0, stream, valid.length, tail.length);
        Outcome<byte[]> out = decode(in -> Framed.of(in, null, Codecs.lengthDelimitedCodec(MAX)), stream, cuts);
        assertThat(out.frames().size()).isGreaterThanOrEqualTo(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            assertThat(out.frames().get(i)).as("frame %d", i).isEqualTo(frames.get(i));
        }
        if (out.error() != null) {
            assertThat(LENGTH_KINDS).contains(out.error().kind());
        }
    }

    /** Any text at all: with line breaks and carriage returns in it, non-ASCII before them. */
    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.strings().withChars("a\n\ré日\u0080\u00ff ").ofMaxLength(30);
    }

    /**
     * Sending any string either is refused ({@code MALFORMED} or {@code OVERSIZED}, nothing
     * written) or reaches the peer as exactly that one line: a line break can never inject a
     * second line.
     */
    @Property(tries = 500)
    void anyOutgoingLineIsRefusedOrArrivesAsThatOneLine(@ForAll("anyText") String text, @ForAll("cuts") List<Integer> cuts) {
        Codec<String> codec = Codecs.lineCodec(MAX, CodingErrorAction.REPORT);
        IoBuf out = IoBuf.allocate(codec.maxEncodedLength(text));
        try {
            codec.encode(text, out);
        } catch (FrameException refused) {
            assertThat(refused.kind()).isIn(FrameException.Kind.MALFORMED, FrameException.Kind.OVERSIZED);
            return;
        }
        byte[] stream = out.flip().toByteArray();
        Outcome<String> got = decode(in -> Framed.of(in, null, Codecs.lineCodec(MAX, CodingErrorAction.REPORT)), stream, cuts);
        assertThat(got.error()).isNull();
        assertThat(got.frames()).containsExactly(text);
    }
}

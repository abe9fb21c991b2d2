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
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of the two codecs through {@link Framed} (issue 12, fault 9): byte streams cut into
 * chunks at random points, read through a reader that also answers "pending" now and then.
 * Garbage gives frames or a {@link FrameException} of a kind the codec can report, never another
 * exception, never a hang; valid frames come out exactly as sent whatever the cuts.
 *
 * <p>Each property runs a few hundred tries from a seeded {@link SplittableRandom}; a failure
 * names the seed, and {@code -Dweft.fuzz.seed=<seed>} replays it. (The issue asked for jqwik; its
 * 1.10 release prints, on every run, that AI agents must not use it. Weft's code is written by
 * one, so we respect the maintainers' wish and generate the inputs ourselves.)
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

    // ------------------------------------------------------------------ generators

    private static final long BASE_SEED = Long.getLong("weft.fuzz.seed", System.nanoTime());

    /** Runs {@code property} {@code tries} times, each with its own seed; a failure names it. */
    private static void forAll(int tries, java.util.function.Consumer<SplittableRandom> property) {
        for (int i = 0; i < tries; i++) {
            long seed = BASE_SEED + i;
            try {
                property.accept(new SplittableRandom(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("try " + i + " failed; replay with -Dweft.fuzz.seed=" + seed
                        + " (and tries = 1): " + e.getMessage(), e);
            }
        }
    }

    static List<Integer> cuts(SplittableRandom r) {
        int n = r.nextInt(41);
        List<Integer> cuts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            cuts.add(r.nextInt(1 << 20));
        }
        return cuts;
    }

    private static final byte[] SHAPED = {0, 1, 2, '\n', '\r', 'a', (byte) 0xc3, (byte) 0xa9, (byte) 0xe2, (byte) 0x82,
            (byte) 0xff, (byte) 0x80};

    /** Random bytes, or bytes near the codecs' own shapes: small length prefixes, line breaks, stray UTF-8. */
    static byte[] garbage(SplittableRandom r) {
        byte[] b = new byte[r.nextInt(2_001)];
        if (r.nextBoolean()) {
            r.nextBytes(b);
        } else {
            for (int i = 0; i < b.length; i++) {
                b[i] = SHAPED[r.nextInt(SHAPED.length)];
            }
        }
        return b;
    }

    static List<byte[]> binaryFrames(SplittableRandom r) {
        int n = r.nextInt(21);
        List<byte[]> frames = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] f = new byte[r.nextInt(MAX + 1)];
            r.nextBytes(f);
            frames.add(f);
        }
        return frames;
    }

    /** A character the line codec accepts in a line: anything but surrogates and '\n'. */
    private static char lineChar(SplittableRandom r) {
        for (;;) {
            char c = (char) r.nextInt(0xfffe);
            if (c != '\n' && !Character.isSurrogate(c)) {
                return c;
            }
        }
    }

    /** Lines the codec accepts: no '\n', no '\r' at the end, within the limit. */
    static List<String> lines(SplittableRandom r) {
        int n = r.nextInt(21);
        List<String> lines = new ArrayList<>(n);
        String small = "ab \r\té日";
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            boolean wide = r.nextBoolean();
            int len = wide ? r.nextInt(MAX / 3 + 1) : r.nextInt(41);
            for (int k = 0; k < len; k++) {
                sb.append(wide ? lineChar(r) : small.charAt(r.nextInt(small.length())));
            }
            while (sb.length() > 0 && sb.charAt(sb.length() - 1) == '\r') {
                sb.setLength(sb.length() - 1);
            }
            lines.add(sb.toString());
        }
        return lines;
    }

    /** Any text at all: with line breaks and carriage returns in it, non-ASCII before them. */
    static String anyText(SplittableRandom r) {
        String chars = "a\n\ré日\u0080\u00ff ";
        StringBuilder sb = new StringBuilder();
        int len = r.nextInt(31);
        for (int i = 0; i < len; i++) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ properties

    @Test
    void lengthDelimitedGarbageIsFramesOrAFrameError() {
        forAll(300, r -> {
            byte[] stream = garbage(r);
            Outcome<byte[]> out = decode(in -> Framed.of(in, null, Codecs.lengthDelimitedCodec(MAX)), stream, cuts(r));
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
        });
    }

    @Test
    void lineGarbageIsLinesOrAFrameError() {
        forAll(300, r -> {
            Outcome<String> out = decode(in -> Framed.of(in, null, Codecs.lineCodec(MAX, CodingErrorAction.REPORT)),
                    garbage(r), cuts(r));
            if (out.error() != null) {
                assertThat(LINE_KINDS).contains(out.error().kind());
            }
            for (String line : out.frames()) {
                assertThat(line).doesNotContain("\n");
                assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(MAX);
            }
        });
    }

    @Test
    void lineGarbageWithReplacementNeverFails() {
        forAll(300, r -> {
            Outcome<String> out = decode(in -> Framed.of(in, null, Codecs.lineCodec(MAX, CodingErrorAction.REPLACE)),
                    garbage(r), cuts(r));
            if (out.error() != null) {
                assertThat(out.error().kind()).as("with REPLACE only a long line is an error").isEqualTo(FrameException.Kind.OVERSIZED);
            }
        });
    }

    @Test
    void validBinaryFramesComeOutAsSentWhateverTheCuts() {
        forAll(300, r -> {
            List<byte[]> frames = binaryFrames(r);
            byte[] stream = encodeUnchecked(Codecs.lengthDelimitedCodec(MAX), frames);
            Outcome<byte[]> out = decode(in -> Framed.of(in, null, Codecs.lengthDelimitedCodec(MAX)), stream, cuts(r));
            assertThat(out.error()).isNull();
            assertThat(out.frames()).hasSameSizeAs(frames);
            for (int i = 0; i < frames.size(); i++) {
                assertThat(out.frames().get(i)).as("frame %d", i).isEqualTo(frames.get(i));
            }
        });
    }

    @Test
    void validLinesComeOutAsSentWhateverTheCuts() {
        forAll(300, r -> {
            List<String> lines = lines(r);
            byte[] stream = encodeUnchecked(Codecs.lineCodec(MAX, CodingErrorAction.REPORT), lines);
            Outcome<String> out = decode(in -> Framed.of(in, null, Codecs.lineCodec(MAX, CodingErrorAction.REPORT)),
                    stream, cuts(r));
            assertThat(out.error()).isNull();
            assertThat(out.frames()).containsExactlyElementsOf(lines);
        });
    }

    /** Valid frames then garbage: the valid ones come out first, exactly, whatever follows. */
    @Test
    void validFramesBeforeGarbageComeOutIntact() {
        forAll(200, r -> {
            List<byte[]> frames = binaryFrames(r);
            byte[] tail = garbage(r);
            byte[] valid = encodeUnchecked(Codecs.lengthDelimitedCodec(MAX), frames);
            byte[] stream = java.util.Arrays.copyOf(valid, valid.length + tail.length);
            System.arraycopy(tail, 0, stream, valid.length, tail.length);
            Outcome<byte[]> out = decode(in -> Framed.of(in, null, Codecs.lengthDelimitedCodec(MAX)), stream, cuts(r));
            assertThat(out.frames().size()).isGreaterThanOrEqualTo(frames.size());
            for (int i = 0; i < frames.size(); i++) {
                assertThat(out.frames().get(i)).as("frame %d", i).isEqualTo(frames.get(i));
            }
            if (out.error() != null) {
                assertThat(LENGTH_KINDS).contains(out.error().kind());
            }
        });
    }

    /**
     * Sending any string either is refused ({@code MALFORMED} or {@code OVERSIZED}, nothing
     * written) or reaches the peer as exactly that one line: a line break can never inject a
     * second line.
     */
    @Test
    void anyOutgoingLineIsRefusedOrArrivesAsThatOneLine() {
        forAll(500, r -> {
            String text = anyText(r);
            Codec<String> codec = Codecs.lineCodec(MAX, CodingErrorAction.REPORT);
            IoBuf out = IoBuf.allocate(codec.maxEncodedLength(text));
            try {
                codec.encode(text, out);
            } catch (FrameException refused) {
                assertThat(refused.kind()).isIn(FrameException.Kind.MALFORMED, FrameException.Kind.OVERSIZED);
                return;
            } catch (Exception other) {
                throw new AssertionError("encode threw " + other, other);
            }
            byte[] stream = out.flip().toByteArray();
            Outcome<String> got = decode(in -> Framed.of(in, null, Codecs.lineCodec(MAX, CodingErrorAction.REPORT)),
                    stream, cuts(r));
            assertThat(got.error()).isNull();
            assertThat(got.frames()).containsExactly(text);
        });
    }

    private static <T> byte[] encodeUnchecked(Codec<T> codec, List<T> frames) {
        try {
            return encode(codec, frames);
        } catch (Exception e) {
            throw new AssertionError("encoding valid frames threw " + e, e);
        }
    }
}

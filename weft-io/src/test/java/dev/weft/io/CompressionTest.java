package dev.weft.io;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Context;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code Compression.deflate} and {@code gzip} (issue 17): bytes from {@code java.util.zip}'s
 * streams read back through every split point, what they write read by {@code java.util.zip},
 * a sync flush that lets the peer read a request at once, and truncated or corrupt input as a
 * clear error, never a clean short end. Inputs come from seeded {@link SplittableRandom}s (as in
 * {@link CodecFuzzTest}, and for the same reason, not jqwik); a failure names its seed.
 */
@org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS)
class CompressionTest {
    enum Format {
        DEFLATE, GZIP;

        AsyncIo wrap(AsyncIo io) {
            return this == GZIP ? Compression.gzip(io) : Compression.deflate(io);
        }

        /** What java.util.zip writes: {@code data} in {@code pieces} writes, each followed by a sync flush. */
        byte[] jdkCompress(byte[] data, int pieces) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream out = this == GZIP ? new GZIPOutputStream(bytes, true) : new DeflaterOutputStream(bytes, true)) {
                int step = Math.max(1, data.length / Math.max(1, pieces));
                for (int i = 0; i < data.length; i += step) {
                    out.write(data, i, Math.min(step, data.length - i));
                    out.flush();
                }
            }
            return bytes.toByteArray();
        }

        byte[] jdkDecompress(byte[] compressed) throws IOException {
            try (InputStream in = this == GZIP ? new GZIPInputStream(new ByteArrayInputStream(compressed))
                    : new InflaterInputStream(new ByteArrayInputStream(compressed))) {
                return in.readAllBytes();
            }
        }
    }

    /** An AsyncIo scripted by the test: reads hand out chunks (pending before every other one); writes take a few bytes at a time. */
    static final class ScriptedIo implements AsyncIo {
        private final List<byte[]> chunks;
        private final SplittableRandom random;
        private int index;
        private int offset;
        private boolean pendingDone;
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        boolean shutdown;
        boolean closed;

        ScriptedIo(List<byte[]> chunks, long seed) {
            this.chunks = chunks;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public int pollRead(Context cx, IoBuf dst) {
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
                return PENDING;
            }
            byte[] c = chunks.get(index);
            int n = Math.min(dst.remaining(), c.length - offset);
            dst.put(c, offset, n);
            offset += n;
            return n;
        }

        @Override
        public int pollWrite(Context cx, IoBuf src) {
            if (random.nextInt(3) == 0) {
                return PENDING;                              // the peer is slow now and then
            }
            int n = Math.min(src.remaining(), 1 + random.nextInt(700));
            byte[] b = new byte[n];
            src.get(b);
            written.write(b, 0, n);
            return n;
        }

        @Override
        public boolean pollFlush(Context cx) {
            return true;
        }

        @Override
        public boolean pollShutdown(Context cx) {
            shutdown = true;
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final Context CX = Context.noop();

    /** Reads {@code io} to its end by hand, through reads of random sizes; fails on a hang. */
    static byte[] readAll(AsyncIo io, SplittableRandom random, int bound) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int polls = 0; polls < bound; polls++) {
            IoBuf dst = IoBuf.allocate(1 + random.nextInt(300));
            int n = io.pollRead(CX, dst);
            if (n == AsyncRead.EOF) {
                return got.toByteArray();
            }
            if (n > 0) {
                got.write(dst.flip().toByteArray(), 0, n);
            }
        }
        throw new AssertionError("no end after " + bound + " polls: the reader hangs");
    }

    static byte[] randomData(SplittableRandom random) {
        int size = random.nextInt(4) == 0 ? random.nextInt(40) : random.nextInt(20_000);
        byte[] data = new byte[size];
        if (random.nextBoolean()) {
            random.nextBytes(data);                          // incompressible
        } else {
            for (int i = 0; i < size; i++) {                 // text-like: compresses well
                data[i] = (byte) "weft loom thread ".charAt(random.nextInt(17));
            }
        }
        return data;
    }

    static List<byte[]> cut(byte[] stream, int... at) {
        int[] sorted = Arrays.stream(at).map(c -> Math.floorMod(c, stream.length + 1)).sorted().toArray();
        List<byte[]> chunks = new ArrayList<>();
        int from = 0;
        for (int c : sorted) {
            chunks.add(Arrays.copyOfRange(stream, from, c));
            from = c;
        }
        chunks.add(Arrays.copyOfRange(stream, from, stream.length));
        return chunks;
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void whatJavaUtilZipWroteReadsBackWhereverTheStreamIsCut(Format format) throws IOException {
        SplittableRandom seeds = new SplittableRandom(17);
        for (int run = 0; run < 40; run++) {
            long seed = seeds.nextLong();
            SplittableRandom random = new SplittableRandom(seed);
            byte[] data = randomData(random);
            byte[] compressed = format.jdkCompress(data, 1 + random.nextInt(5));
            List<List<byte[]>> cuttings = new ArrayList<>();
            if (run < 4 && compressed.length < 3_000) {
                for (int at = 0; at <= compressed.length; at++) {        // every single split point
                    cuttings.add(cut(compressed, at));
                }
            }
            int[] many = random.ints(1 + random.nextInt(30), 0, compressed.length + 1).toArray();
            cuttings.add(cut(compressed, many));
            for (List<byte[]> chunks : cuttings) {
                AsyncIo io = format.wrap(new ScriptedIo(chunks, seed));
                byte[] got = readAll(io, random, 10 * (compressed.length + data.length) + 100);
                assertThat(got).as("seed %d, %s, %d bytes in %d chunks", seed, format, data.length, chunks.size())
                        .isEqualTo(data);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void whatItWritesJavaUtilZipReadsAndEachFlushMakesEverythingSoFarReadable(Format format) throws IOException {
        SplittableRandom seeds = new SplittableRandom(29);
        for (int run = 0; run < 60; run++) {
            long seed = seeds.nextLong();
            SplittableRandom random = new SplittableRandom(seed);
            byte[] data = randomData(random);
            ScriptedIo below = new ScriptedIo(List.of(), seed);
            AsyncIo io = format.wrap(below);
            int at = 0;
            while (at < data.length) {
                IoBuf src = IoBuf.wrap(data, at, Math.min(data.length - at, 1 + random.nextInt(5_000)));
                int n = pollUntilDone(() -> io.pollWrite(CX, src));
                at += n;
                if (random.nextInt(4) == 0) {
                    pollUntilTrue(() -> io.pollFlush(CX));
                    byte[] soFar = syncFlushedPrefix(format, below.written.toByteArray());
                    assertThat(soFar).as("seed %d: after a flush the peer reads every byte written", seed)
                            .isEqualTo(Arrays.copyOf(data, at));
                }
            }
            pollUntilTrue(() -> io.pollShutdown(CX));
            assertThat(below.shutdown).isTrue();
            assertThat(format.jdkDecompress(below.written.toByteArray())).as("seed %d", seed).isEqualTo(data);
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aStreamCutShortIsAnErrorNotACleanEnd(Format format) throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        byte[] data = randomData(random);
        byte[] compressed = format.jdkCompress(data, 3);
        for (int length = 1; length < compressed.length; length++) {
            AsyncIo io = format.wrap(new ScriptedIo(cut(Arrays.copyOf(compressed, length), length / 2), 1));
            int cutAt = length;
            assertThatThrownBy(() -> readAll(io, random, 100_000))
                    .as("cut after %d of %d bytes", cutAt, compressed.length)
                    .isInstanceOf(UncheckedIOException.class)
                    .cause().isInstanceOfAny(EOFException.class, ZipException.class);
        }
        AsyncIo nothing = format.wrap(new ScriptedIo(List.of(), 1));
        assertThat(readAll(nothing, random, 10)).as("a peer that sent nothing: a clean end").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void corruptInputIsAnErrorOrTheOriginalNeverOtherBytes(Format format) throws IOException {
        SplittableRandom seeds = new SplittableRandom(41);
        int errors = 0;
        for (int run = 0; run < 300; run++) {
            long seed = seeds.nextLong();
            SplittableRandom random = new SplittableRandom(seed);
            byte[] data = randomData(random);
            byte[] compressed = format.jdkCompress(data, 2);
            int at = random.nextInt(compressed.length);
            compressed[at] ^= (byte) (1 + random.nextInt(255));
            AsyncIo io = format.wrap(new ScriptedIo(cut(compressed, random.nextInt()), seed));
            try {
                byte[] got = readAll(io, random, 10 * (compressed.length + data.length) + 100);
                assertThat(got).as("seed %d: byte %d of %d corrupted, read without error", seed, at, compressed.length)
                        .isEqualTo(data);                        // only bytes the format ignores (gzip's mtime, OS)
            } catch (UncheckedIOException e) {
                assertThat(e.getCause()).as("seed %d", seed).isInstanceOfAny(ZipException.class, EOFException.class);
                errors++;
            }
        }
        assertThat(errors).as("most corruptions are caught").isGreaterThan(250);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void garbageSaysWhatIsWrong(Format format) {
        byte[] garbage = "HTTP/1.1 200 OK\r\n\r\nhello".getBytes(US_ASCII);
        AsyncIo io = format.wrap(new ScriptedIo(List.of(garbage), 1));
        assertThatThrownBy(() -> readAll(io, new SplittableRandom(1), 100))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(format == Format.GZIP ? "not gzip data" : "corrupt compressed data");
    }

    /** Bytes after a zlib stream's end are an error however the stream is cut (review finding: it depended on the cut). */
    @org.junit.jupiter.api.Test
    void bytesAfterTheEndOfAZlibStreamAreAnErrorWhereverTheCutFalls() throws IOException {
        byte[] compressed = Format.DEFLATE.jdkCompress("hello".getBytes(US_ASCII), 1);
        byte[] withTail = Arrays.copyOf(compressed, compressed.length + 3);
        System.arraycopy("XYZ".getBytes(US_ASCII), 0, withTail, compressed.length, 3);
        for (int at = 0; at <= withTail.length; at++) {
            AsyncIo io = Format.DEFLATE.wrap(new ScriptedIo(cut(withTail, at), 1));
            int cutAt = at;
            assertThatThrownBy(() -> readAll(io, new SplittableRandom(cutAt), 1_000))
                    .as("cut at %d", cutAt).isInstanceOf(UncheckedIOException.class)
                    .cause().isInstanceOf(ZipException.class).hasMessageContaining("after the end of the compressed stream");
        }
    }

    /** Zero padding after the last gzip member reads as the end, as GZIPInputStream reads it; other bytes are an error. */
    @org.junit.jupiter.api.Test
    void zeroPaddingAfterAGzipMemberIsTheEndButGarbageIsNot() throws IOException {
        byte[] data = "weft".getBytes(US_ASCII);
        byte[] member = Format.GZIP.jdkCompress(data, 1);
        byte[] padded = Arrays.copyOf(member, member.length + 512);
        assertThat(new GZIPInputStream(new ByteArrayInputStream(padded)).readAllBytes()).isEqualTo(data);
        assertThat(readAll(Format.GZIP.wrap(new ScriptedIo(cut(padded, member.length + 7), 1)), new SplittableRandom(3), 1_000))
                .isEqualTo(data);
        byte[] garbage = Arrays.copyOf(member, member.length + 4);
        garbage[member.length + 2] = 42;
        assertThatThrownBy(() -> readAll(Format.GZIP.wrap(new ScriptedIo(List.of(garbage), 1)), new SplittableRandom(3), 1_000))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("not gzip data");
    }

    /** Headers with every optional field (a 20,000-byte extra field, a name, a comment, a header CRC) read as GZIPInputStream reads them. */
    @org.junit.jupiter.api.Test
    void gzipHeadersWithEveryOptionalFieldReadAndACorruptHeaderCrcIsCaught() throws IOException {
        byte[] data = "loom".getBytes(US_ASCII);
        byte[] plain = Format.GZIP.jdkCompress(data, 1);              // 10-byte header, no flags
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(plain, 0, 3);
        h.write(4 | 8 | 16 | 2);                                      // FEXTRA, FNAME, FCOMMENT, FHCRC
        h.write(plain, 4, 6);
        h.write(20_000 & 0xff);
        h.write(20_000 >> 8);
        h.write(new byte[20_000]);
        h.writeBytes("name.txt\0a comment\0".getBytes(US_ASCII));
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(h.toByteArray());
        h.write((int) crc.getValue() & 0xff);
        h.write(((int) crc.getValue() >> 8) & 0xff);
        h.write(plain, 10, plain.length - 10);
        byte[] rich = h.toByteArray();
        assertThat(new GZIPInputStream(new ByteArrayInputStream(rich)).readAllBytes()).isEqualTo(data);
        assertThat(readAll(Format.GZIP.wrap(new ScriptedIo(cut(rich, 5_000, 12_000), 1)), new SplittableRandom(5), 10_000))
                .isEqualTo(data);
        int crcAt = rich.length - (plain.length - 10) - 2;
        rich[crcAt] ^= 1;
        assertThatThrownBy(() -> readAll(Format.GZIP.wrap(new ScriptedIo(List.of(rich), 1)), new SplittableRandom(5), 10_000))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("CRC16");
    }

    /** A request/response protocol over a compressed pipe on a runtime: each flush lets the other side answer. */
    @ParameterizedTest
    @EnumSource(Format.class)
    void aRequestResponseProtocolWorksOverACompressedPipeBecauseFlushIsASyncFlush(Format format) {
        try (Runtime rt = Runtimes.multiThreadBuilder().name("zip").workers(2).build()) {
            List<String> replies = rt.run(() -> {
                IoPipe pipe = IoPipe.create(256);
                AsyncIo client = format.wrap(pipe.left());
                AsyncIo server = format.wrap(pipe.right());
                Task<Void> echo = Weft.spawn(() -> {
                    BufReader in = new BufReader(server, 1024);
                    for (String line : Weft.iterate(Io.lines(in, 1024))) {
                        Io.writeAll(server, IoBuf.wrap(("echo " + line + "\n").getBytes(US_ASCII)));
                        server.flush();
                    }
                    server.shutdownOutput();
                });
                BufReader in = new BufReader(client, 1024);
                List<String> got = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    Io.writeAll(client, IoBuf.wrap(("request " + i + "\n").getBytes(US_ASCII)));
                    client.flush();                                  // without a sync flush this would wait forever
                    got.add(Weft.await(Io.lines(in, 1024).take(1).toList()).get(0));
                }
                client.shutdownOutput();
                echo.join();
                client.close();
                server.close();
                return got;
            });
            assertThat(replies).hasSize(20).first().isEqualTo("echo request 0");
            assertThat(replies).last().isEqualTo("echo request 19");
        }
    }

    /** What a peer's Inflater reads from {@code compressed}, which ends at a sync flush (no trailer yet). */
    static byte[] syncFlushedPrefix(Format format, byte[] compressed) {
        int skip = format == Format.GZIP ? 10 : 0;
        Inflater inflater = new Inflater(format == Format.GZIP);
        try {
            inflater.setInput(compressed, skip, compressed.length - skip);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (true) {
                int n = inflater.inflate(buf);
                if (n == 0) {
                    return out.toByteArray();
                }
                out.write(buf, 0, n);
            }
        } catch (java.util.zip.DataFormatException e) {
            throw new AssertionError(e);
        } finally {
            inflater.end();
        }
    }

    interface IntPoll {
        int poll();
    }

    interface BoolPoll {
        boolean poll();
    }

    static int pollUntilDone(IntPoll p) {
        for (int i = 0; i < 10_000; i++) {
            int n = p.poll();
            if (n != AsyncRead.PENDING) {
                return n;
            }
        }
        throw new AssertionError("a write stayed pending");
    }

    static void pollUntilTrue(BoolPoll p) {
        for (int i = 0; i < 10_000; i++) {
            if (p.poll()) {
                return;
            }
        }
        throw new AssertionError("a flush stayed pending");
    }
}

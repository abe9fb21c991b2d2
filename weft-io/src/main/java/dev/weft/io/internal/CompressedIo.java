package dev.weft.io.internal;

import dev.weft.Context;
import dev.weft.io.AsyncIo;
import dev.weft.io.IoBuf;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * {@code Compression.deflate} and {@code Compression.gzip}: an {@link AsyncIo} that compresses
 * what is written to it and decompresses what is read, over any other. The formats are
 * {@code java.util.zip}'s: zlib ({@code DeflaterOutputStream}/{@code InflaterInputStream}) and
 * gzip ({@code GZIPOutputStream}/{@code GZIPInputStream}, several members read in turn).
 *
 * <p>Writes are buffered like a {@code BufWriter}'s: a write takes bytes into the deflater and
 * answers their count; they reach the stream below at the latest on {@code flush}, which ends
 * them with a zlib sync flush so that the peer can decompress every byte written so far (a
 * request/response protocol keeps working); {@code shutdownOutput} finishes the format (the gzip
 * trailer) and half-closes the stream below. Reads take compressed bytes from the stream below
 * into a buffer of their own, so a cancelled read loses nothing.
 *
 * <h2>Implementation notes</h2>
 * The read half and the write half share nothing (one {@link Inflater}, one {@link Deflater}),
 * so one task may read while another writes, as over a socket. Input to the inflater is given
 * again before each call from {@code in[inStart, inEnd)}, and {@code inStart} moved by what it
 * consumed, so it never holds a buffer across polls. A compressed stream that ends early, a
 * corrupt block, a bad gzip header or trailer (CRC, length) is a {@link ZipException} or an
 * {@link EOFException} naming what was wrong, never a short read that looks like the end.
 */
public final class CompressedIo implements AsyncIo {
    private static final int CHUNK = 8192;
    private static final int GZIP_MAGIC = 0x8b1f;
    /** The longest gzip header read (an extra field, a file name, a comment): GZIPInputStream has no limit. */
    private static final int MAX_HEADER = 1 << 20;

    private final AsyncIo io;
    private final boolean gzip;
    private volatile boolean closed;

    // ---- the write half
    private final Deflater deflater;
    private final CRC32 writeCrc;
    private final byte[] chunk = new byte[CHUNK];
    private byte[] out = new byte[2 * CHUNK];
    private int outStart;
    private int outEnd;
    private IoBuf outView;
    private boolean written;                 // input since the last sync flush
    private boolean finished;
    private long writtenTotal;

    // ---- the read half
    private enum ReadState { HEADER, BODY, TRAILER, END_CHECK, DONE }

    private final Inflater inflater;
    private final CRC32 readCrc;
    private byte[] in = new byte[2 * CHUNK];
    private int inStart;
    private int inEnd;
    private IoBuf inView;
    private ReadState state;
    private long readTotal;                  // of this member
    private boolean anyInput;
    private boolean memberDone;              // a gzip member was read to its trailer

    public CompressedIo(AsyncIo io, boolean gzip, int level) {
        this.io = io;
        this.gzip = gzip;
        this.deflater = new Deflater(level, gzip);
        this.inflater = new Inflater(gzip);
        this.writeCrc = gzip ? new CRC32() : null;
        this.readCrc = gzip ? new CRC32() : null;
        this.outView = IoBuf.wrap(out);
        this.inView = IoBuf.wrap(in);
        this.state = gzip ? ReadState.HEADER : ReadState.BODY;
        if (gzip) {                          // the header java.util.zip's GZIPOutputStream writes
            byte[] header = {(byte) GZIP_MAGIC, (byte) (GZIP_MAGIC >> 8), Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
            System.arraycopy(header, 0, out, 0, header.length);
            outEnd = header.length;
        }
    }

    // ---------------------------------------------------------------- writing

    @Override
    public int pollWrite(Context cx, IoBuf src) {
        checkOpen();
        if (finished) {
            throw new UncheckedIOException(new IOException("write after shutdownOutput on " + this));
        }
        if (!src.hasRemaining()) {
            return 0;
        }
        if (!drain(cx)) {
            return PENDING;                  // the stream below is full: back-pressure
        }
        int k = Math.min(src.remaining(), CHUNK);
        src.get(chunk, 0, k);
        if (gzip) {
            writeCrc.update(chunk, 0, k);
        }
        writtenTotal += k;
        deflater.setInput(chunk, 0, k);
        while (!deflater.needsInput()) {
            deflateInto(Deflater.NO_FLUSH);
        }
        written = true;
        drain(cx);                           // push what is ready; the rest goes at the flush
        return k;
    }

    @Override
    public boolean pollFlush(Context cx) {
        checkOpen();
        if (written && !finished) {
            while (deflateInto(Deflater.SYNC_FLUSH) > 0 && outEnd == out.length) {
                // a full buffer may hide more output: deflate again
            }
            written = false;
        }
        return drain(cx) && io.pollFlush(cx);
    }

    @Override
    public boolean pollShutdown(Context cx) {
        checkOpen();
        if (!finished) {
            deflater.finish();
            while (!deflater.finished()) {
                deflateInto(Deflater.NO_FLUSH);
            }
            if (gzip) {
                ensureRoom(8);
                putIntLE(out, outEnd, (int) writeCrc.getValue());
                putIntLE(out, outEnd + 4, (int) writtenTotal);
                outEnd += 8;
            }
            finished = true;
            written = false;
        }
        return drain(cx) && io.pollShutdown(cx);
    }

    /** Deflates into {@code out}, growing it when full; returns the bytes produced. */
    private int deflateInto(int flush) {
        ensureRoom(64);
        int n;
        try {
            n = deflater.deflate(out, outEnd, out.length - outEnd, flush);
        } catch (IllegalStateException | NullPointerException e) {
            throw closedOr(e);                       // the deflater ended by a close on another thread
        }
        outEnd += n;
        return n;
    }

    private void ensureRoom(int n) {
        if (out.length - outEnd >= n) {
            return;
        }
        if (outStart > 0) {
            System.arraycopy(out, outStart, out, 0, outEnd - outStart);
            outEnd -= outStart;
            outStart = 0;
        }
        if (out.length - outEnd < n) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outEnd + n));
            outView = IoBuf.wrap(out);
        }
    }

    /** Writes pending compressed bytes below; true once none is left. */
    private boolean drain(Context cx) {
        while (outStart < outEnd) {
            outView.limit(outEnd).position(outStart);
            int n = io.pollWrite(cx, outView);
            if (n == PENDING) {
                return false;
            }
            outStart += n;
        }
        outStart = 0;
        outEnd = 0;
        return true;
    }

    // ---------------------------------------------------------------- reading

    @Override
    public int pollRead(Context cx, IoBuf dst) {
        checkOpen();
        if (!dst.hasRemaining()) {
            return 0;
        }
        try {
            while (true) {
                switch (state) {
                    case DONE -> {
                        return EOF;
                    }
                    case END_CHECK -> {                      // zlib's end: only the end of the stream may follow
                        if (inEnd > inStart) {
                            throw new ZipException((inEnd - inStart) + "+ bytes after the end of the compressed stream");
                        }
                        int r = fill(cx);
                        if (r == PENDING) {
                            return PENDING;
                        }
                        if (r == EOF) {
                            state = ReadState.DONE;
                            return EOF;
                        }
                    }
                    case HEADER -> {
                        while (memberDone && inStart < inEnd && in[inStart] == 0) {
                            inStart++;                       // zero padding after a member, as GZIPInputStream allows
                        }
                        int length = headerLength();
                        if (length > 0) {
                            inStart += length;
                            state = ReadState.BODY;
                            continue;
                        }
                        int r = fill(cx);
                        if (r == PENDING) {
                            return PENDING;
                        }
                        if (r == EOF) {
                            if (inEnd == inStart) {          // after the last member, or nothing sent
                                state = ReadState.DONE;
                                return EOF;
                            }
                            throw truncated("in a gzip header");
                        }
                    }
                    case BODY -> {
                        int n = inflateInto(dst);
                        if (n > 0) {
                            return n;
                        }
                        if (inflater.finished()) {
                            state = gzip ? ReadState.TRAILER : ReadState.END_CHECK;
                            continue;
                        }
                        if (inflater.needsDictionary()) {
                            throw new ZipException("the compressed stream needs a preset dictionary, which this reader does not have");
                        }
                        int r = fill(cx);
                        if (r == PENDING) {
                            return PENDING;
                        }
                        if (r == EOF) {
                            if (!gzip && !anyInput) {
                                state = ReadState.DONE;      // nothing was ever sent
                                return EOF;
                            }
                            throw truncated("in the middle of a compressed block");
                        }
                    }
                    case TRAILER -> {
                        if (inEnd - inStart < 8) {
                            int r = fill(cx);
                            if (r == PENDING) {
                                return PENDING;
                            }
                            if (r == EOF) {
                                throw truncated("in the gzip trailer");
                            }
                            continue;
                        }
                        long crc = getIntLE(in, inStart) & 0xffffffffL;
                        long size = getIntLE(in, inStart + 4) & 0xffffffffL;
                        inStart += 8;
                        if (crc != readCrc.getValue()) {
                            throw new ZipException("gzip trailer: CRC32 " + Long.toHexString(crc) + " but the data gives "
                                    + Long.toHexString(readCrc.getValue()) + " (corrupt data)");
                        }
                        if (size != (readTotal & 0xffffffffL)) {
                            throw new ZipException("gzip trailer: " + size + " bytes announced, " + readTotal + " read (corrupt data)");
                        }
                        readTotal = 0;
                        memberDone = true;
                        readCrc.reset();
                        inflater.reset();
                        state = ReadState.HEADER;
                    }
                    default -> throw new AssertionError(state);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage() + " (reading " + (gzip ? "gzip" : "deflate") + " from " + io + ")", e);
        } catch (IllegalStateException | NullPointerException e) {
            throw closedOr(e);                       // the inflater ended by a close on another thread
        }
    }

    private int inflateInto(IoBuf dst) throws ZipException {
        inflater.setInput(in, inStart, inEnd - inStart);
        ByteBuffer target = dst.asByteBuffer();
        int before = target.position();
        int n;
        try {
            n = inflater.inflate(target);
        } catch (DataFormatException e) {
            ZipException z = new ZipException("corrupt compressed data: " + e.getMessage());
            z.initCause(e);
            throw z;
        }
        inStart = inEnd - inflater.getRemaining();
        if (n > 0) {
            if (gzip) {
                readCrc.update(target.duplicate().position(before).limit(before + n));
            }
            readTotal += n;
            dst.advance(n);
        }
        return n;
    }

    /**
     * The length of the gzip header at {@code in[inStart...]} when it is all there, else -1.
     */
    private int headerLength() throws ZipException {
        int have = inEnd - inStart;
        if (have == 0) {
            return -1;
        }
        if (have < 10) {
            if ((in[inStart] & 0xff) != (GZIP_MAGIC & 0xff) || have >= 2 && getShortLE(in, inStart) != GZIP_MAGIC) {
                throw new ZipException("not gzip data: the stream starts with 0x"
                        + Integer.toHexString(in[inStart] & 0xff) + " where gzip's magic number 1f 8b should be");
            }
            return -1;
        }
        if (getShortLE(in, inStart) != GZIP_MAGIC) {
            throw new ZipException("not gzip data: no magic number 1f 8b at the start of a member");
        }
        if ((in[inStart + 2] & 0xff) != Deflater.DEFLATED) {
            throw new ZipException("gzip member with compression method " + (in[inStart + 2] & 0xff) + ", not deflate (8)");
        }
        int flags = in[inStart + 3] & 0xff;
        int p = inStart + 10;
        if ((flags & 4) != 0) {                              // FEXTRA
            if (inEnd - p < 2) {
                return -1;
            }
            p += 2 + getShortLE(in, p);
        }
        for (int bit : new int[] {8, 16}) {                  // FNAME, FCOMMENT: zero-terminated
            if ((flags & bit) != 0) {
                while (p < inEnd && in[p] != 0) {
                    p++;
                }
                if (p >= inEnd) {
                    return -1;
                }
                p++;
            }
        }
        if ((flags & 2) != 0) {                              // FHCRC: the low 16 bits of the header's CRC32
            if (p + 2 > inEnd) {
                return -1;
            }
            CRC32 crc = new CRC32();
            crc.update(in, inStart, p - inStart);
            if (getShortLE(in, p) != ((int) crc.getValue() & 0xffff)) {
                throw new ZipException("gzip header: its CRC16 does not match (corrupt header)");
            }
            p += 2;
        }
        return p <= inEnd ? p - inStart : -1;
    }

    /** Reads compressed bytes from below into {@code in}; a count, EOF or PENDING. */
    private int fill(Context cx) throws IOException {
        if (inStart > 0) {
            System.arraycopy(in, inStart, in, 0, inEnd - inStart);
            inEnd -= inStart;
            inStart = 0;
        }
        if (inEnd == in.length) {                  // only a header can fill it: its extra field, name or comment
            if (in.length >= MAX_HEADER) {
                throw new ZipException("a gzip header longer than " + MAX_HEADER + " bytes");
            }
            in = Arrays.copyOf(in, in.length * 2);
            inView = IoBuf.wrap(in);
        }
        inView.limit(in.length).position(inEnd);
        int n = io.pollRead(cx, inView);
        if (n > 0) {
            inEnd += n;
            anyInput = true;
        }
        return n;
    }

    private EOFException truncated(String where) {
        return new EOFException("the compressed stream ended early, " + where + " (truncated data, or the peer"
                + " closed without finishing it)");
    }

    // ---------------------------------------------------------------- the rest

    /** {@code e} from an ended deflater or inflater, said as the closed stream it is; else {@code e}. */
    private RuntimeException closedOr(RuntimeException e) {
        if (closed) {
            return new UncheckedIOException(new IOException("this " + (gzip ? "gzip" : "deflate") + " stream was closed"
                    + " while in use", e));
        }
        return e;
    }

    private void checkOpen() {
        if (closed) {
            throw new UncheckedIOException(new IOException("this " + (gzip ? "gzip" : "deflate") + " stream is closed"));
        }
    }

    /** Frees the (native) deflater and inflater and closes the stream below, without flushing. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            try {
                io.close();
            } finally {
                deflater.end();
                inflater.end();
            }
        }
    }

    private static int getShortLE(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    private static int getIntLE(byte[] b, int i) {
        return getShortLE(b, i) | getShortLE(b, i + 2) << 16;
    }

    private static void putIntLE(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >> 8);
        b[i + 2] = (byte) (v >> 16);
        b[i + 3] = (byte) (v >> 24);
    }

    @Override
    public String toString() {
        return (gzip ? "gzip(" : "deflate(") + io + ")";
    }
}

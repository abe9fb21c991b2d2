package dev.weft.io;

import dev.weft.io.internal.BufAccess;
import dev.weft.io.internal.Lease;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.BufferOverflowException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Objects;

/**
 * A byte buffer over a {@link MemorySegment} (heap or native), with the position, limit and
 * capacity of a {@link ByteBuffer}: write at the position, {@link #flip()}, read up to the limit,
 * {@link #clear()} or {@link #compact()}. Multi-byte values are big-endian (network order).
 *
 * {@snippet class="dev.weft.io.snippets.IoSnippets" region="iobuf"}
 *
 * <p><b>Views share memory.</b> {@link #slice()}, {@link #slice(int, int)}, {@link #duplicate()},
 * {@link #readable()} and {@link #asReadOnly()} make a new {@code IoBuf} over the same bytes, with
 * its own position and limit; nothing is copied. {@link #asByteBuffer()} is a {@code ByteBuffer}
 * over the same memory for NIO channel calls (see there for advancing after the call).
 *
 * <p><b>Ownership.</b> A buffer from a {@link BufPool} is dead once given back: every use of it,
 * and of every view made from it, throws {@link IllegalStateException} saying so (the pool hands
 * out a new {@code IoBuf} over the same memory next time). A buffer lent to an owned operation
 * ({@link OwnedRead#readOwned}) cannot be used until the operation's result hands it back; if
 * the operation is cancelled the buffer goes back to its pool and stays dead.
 *
 * <p><b>Not thread-safe</b>, like {@code ByteBuffer}: one owner at a time. Hand it to another
 * task through something that orders memory (a channel, a task's result).
 */
public final class IoBuf {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    static {
        dev.weft.internal.Diagnostics.registerLibrary(IoBuf.class);   // its frames are Weft's in dumps
        BufAccess.install(new BufAccess.Bridge() {
            @Override
            public Lease lease(IoBuf buf) {
                return buf.lease;
            }

            @Override
            public IoBuf newBuf(MemorySegment memory, Lease lease) {
                IoBuf b = new IoBuf(memory, lease, memory.isReadOnly(), 0, (int) memory.byteSize());
                if (lease.root == null) {
                    lease.root = b;
                }
                return b;
            }
        });
    }

    private final MemorySegment seg;     // exactly capacity bytes; read-only segment for a read-only view
    private final Lease lease;           // shared with every view; checked on every use
    private final boolean readOnly;
    private final int cap;
    private int pos;
    private int lim;
    private ByteBuffer nio;              // asByteBuffer()'s cached view, made on first use

    private IoBuf(MemorySegment seg, Lease lease, boolean readOnly, int pos, int lim) {
        this.seg = seg;
        this.lease = lease;
        this.readOnly = readOnly;
        this.cap = (int) seg.byteSize();
        this.pos = pos;
        this.lim = lim;
    }

    // ------------------------------------------------------------------ making one

    /** A heap buffer of {@code capacity} zero bytes: position 0, limit {@code capacity}. */
    public static IoBuf allocate(int capacity) {
        checkCapacity(capacity);
        return root(MemorySegment.ofArray(new byte[capacity]));
    }

    /**
     * A native (off-heap) buffer of {@code capacity} zero bytes, 64-byte aligned, freed by the
     * garbage collector once unreachable. For many buffers of one size use a {@link BufPool},
     * whose memory is allocated once and freed when it closes.
     */
    public static IoBuf allocateDirect(int capacity) {
        checkCapacity(capacity);
        IoBuf b = root(Arena.ofAuto().allocate(Math.max(1, capacity), 64).asSlice(0, capacity));
        b.lease.kernelSafe = true;      // freed only once unreachable, and an operation holds it
        return b;
    }

    /** A buffer over {@code array} (no copy): position 0, limit and capacity its length. */
    public static IoBuf wrap(byte[] array) {
        return root(MemorySegment.ofArray(array));
    }

    /** A buffer over {@code length} bytes of {@code array} from {@code offset} (no copy): index 0 is {@code array[offset]}. */
    public static IoBuf wrap(byte[] array, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, array.length);
        return root(MemorySegment.ofArray(array).asSlice(offset, length));
    }

    /**
     * A buffer over {@code segment} (no copy), for memory from the FFM API; read-only if the
     * segment is. The segment's arena decides how long the memory lives.
     *
     * @throws IllegalArgumentException if the segment is larger than {@link Integer#MAX_VALUE} bytes
     */
    public static IoBuf wrap(MemorySegment segment) {
        if (segment.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an IoBuf holds at most " + Integer.MAX_VALUE + " bytes; the segment has "
                    + segment.byteSize() + ": wrap a slice of it");
        }
        return root(segment);
    }

    private static IoBuf root(MemorySegment seg) {
        Lease lease = new Lease(null, seg);
        IoBuf b = new IoBuf(seg, lease, seg.isReadOnly(), 0, (int) seg.byteSize());
        lease.root = b;
        return b;
    }

    private static void checkCapacity(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        }
    }

    // ------------------------------------------------------------------ indices

    private void check() {
        if (lease.state != Lease.TAKEN) {
            throw lease.unusable();
        }
    }

    private void checkWritable() {
        check();
        if (readOnly) {
            throw new ReadOnlyBufferException();
        }
    }

    /** The number of bytes this buffer holds. */
    public int capacity() {
        return cap;
    }

    /** The index of the next byte to read or write. */
    public int position() {
        check();
        return pos;
    }

    /**
     * Sets the position.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= position <= limit()}
     */
    public IoBuf position(int position) {
        check();
        if (position < 0 || position > lim) {
            throw new IndexOutOfBoundsException("position " + position + " outside 0.." + lim + " in " + this);
        }
        pos = position;
        return this;
    }

    /** The index of the first byte that must not be read or written. */
    public int limit() {
        check();
        return lim;
    }

    /**
     * Sets the limit; a position beyond it moves to it.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= limit <= capacity()}
     */
    public IoBuf limit(int limit) {
        check();
        if (limit < 0 || limit > cap) {
            throw new IndexOutOfBoundsException("limit " + limit + " outside 0.." + cap + " in " + this);
        }
        lim = limit;
        if (pos > limit) {
            pos = limit;
        }
        return this;
    }

    /** {@code limit() - position()}: the bytes left to read, or the room left to write. */
    public int remaining() {
        check();
        return lim - pos;
    }

    /** True when {@link #remaining()} is positive. */
    public boolean hasRemaining() {
        check();
        return pos < lim;
    }

    /**
     * Moves the position forward by {@code n}: after a channel call through
     * {@link #asByteBuffer()} wrote or read {@code n} bytes, or to skip bytes.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= n <= remaining()}
     */
    public IoBuf advance(int n) {
        check();
        if (n < 0 || n > lim - pos) {
            throw new IndexOutOfBoundsException("cannot advance by " + n + ": " + (lim - pos) + " remaining in " + this);
        }
        pos += n;
        return this;
    }

    /** After writing, to read what was written: limit = position, position = 0. */
    public IoBuf flip() {
        check();
        lim = pos;
        pos = 0;
        return this;
    }

    /** Ready to write over the whole buffer: position 0, limit capacity (the bytes stay). */
    public IoBuf clear() {
        check();
        pos = 0;
        lim = cap;
        return this;
    }

    /** Ready to read again from the start: position 0, limit unchanged. */
    public IoBuf rewind() {
        check();
        pos = 0;
        return this;
    }

    /**
     * Moves the unread bytes (position..limit) to the start and makes the rest writable:
     * position = the number of bytes moved, limit = capacity. For a read loop that keeps a partial
     * message and reads more after it.
     */
    public IoBuf compact() {
        checkWritable();
        int n = lim - pos;
        if (n > 0 && pos > 0) {
            MemorySegment.copy(seg, pos, seg, 0, n);
        }
        pos = n;
        lim = cap;
        return this;
    }

    /** True if the memory is native (off-heap). */
    public boolean isDirect() {
        return seg.isNative();
    }

    /** True if this is a read-only view: every put throws {@link ReadOnlyBufferException}. */
    public boolean isReadOnly() {
        return readOnly;
    }

    // ------------------------------------------------------------------ relative get and put

    private int nextGet(int n) {
        check();
        int p = pos;
        if (lim - p < n) {
            throw new BufferUnderflowException();
        }
        pos = p + n;
        return p;
    }

    private int nextPut(int n) {
        checkWritable();
        int p = pos;
        if (lim - p < n) {
            throw new BufferOverflowException();
        }
        pos = p + n;
        return p;
    }

    private int index(int index, int n) {
        check();
        if (index < 0 || n > lim - index) {
            throw new IndexOutOfBoundsException("index " + index + " (+" + n + " bytes) outside 0.." + lim + " in " + this);
        }
        return index;
    }

    private int putIndex(int index, int n) {
        checkWritable();
        if (index < 0 || n > lim - index) {
            throw new IndexOutOfBoundsException("index " + index + " (+" + n + " bytes) outside 0.." + lim + " in " + this);
        }
        return index;
    }

    /** The byte at the position; advances by 1. @throws BufferUnderflowException if none remains */
    public byte get() {
        return seg.get(ValueLayout.JAVA_BYTE, nextGet(1));
    }

    /** The big-endian short at the position; advances by 2. */
    public short getShort() {
        return seg.get(SHORT, nextGet(2));
    }

    /** The big-endian int at the position; advances by 4. */
    public int getInt() {
        return seg.get(INT, nextGet(4));
    }

    /** The big-endian long at the position; advances by 8. */
    public long getLong() {
        return seg.get(LONG, nextGet(8));
    }

    /** Copies {@code dst.length} bytes into {@code dst}; advances. */
    public IoBuf get(byte[] dst) {
        return get(dst, 0, dst.length);
    }

    /** Copies {@code length} bytes into {@code dst} from {@code offset}; advances. */
    public IoBuf get(byte[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, dst.length);
        int p = nextGet(length);
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, p, dst, offset, length);
        return this;
    }

    /** Writes {@code value} at the position; advances by 1. @throws BufferOverflowException if full */
    public IoBuf put(byte value) {
        seg.set(ValueLayout.JAVA_BYTE, nextPut(1), value);
        return this;
    }

    /** Writes a big-endian short; advances by 2. */
    public IoBuf putShort(short value) {
        seg.set(SHORT, nextPut(2), value);
        return this;
    }

    /** Writes a big-endian int; advances by 4. */
    public IoBuf putInt(int value) {
        seg.set(INT, nextPut(4), value);
        return this;
    }

    /** Writes a big-endian long; advances by 8. */
    public IoBuf putLong(long value) {
        seg.set(LONG, nextPut(8), value);
        return this;
    }

    /** Copies all of {@code src}; advances. */
    public IoBuf put(byte[] src) {
        return put(src, 0, src.length);
    }

    /** Copies {@code length} bytes of {@code src} from {@code offset}; advances. */
    public IoBuf put(byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        int p = nextPut(length);
        MemorySegment.copy(src, offset, seg, ValueLayout.JAVA_BYTE, p, length);
        return this;
    }

    /**
     * Copies as many of {@code src}'s remaining bytes as fit here; advances both.
     *
     * @return the number of bytes copied
     */
    public int put(IoBuf src) {
        if (src == this) {
            throw new IllegalArgumentException("cannot put a buffer into itself");
        }
        checkWritable();
        src.check();
        int n = Math.min(lim - pos, src.lim - src.pos);
        if (n > 0) {
            MemorySegment.copy(src.seg, src.pos, seg, pos, n);
            pos += n;
            src.pos += n;
        }
        return n;
    }

    // ------------------------------------------------------------------ absolute get and put

    /** The byte at {@code index} (position unchanged). */
    public byte get(int index) {
        return seg.get(ValueLayout.JAVA_BYTE, index(index, 1));
    }

    /** The big-endian short at {@code index}. */
    public short getShort(int index) {
        return seg.get(SHORT, index(index, 2));
    }

    /** The big-endian int at {@code index}. */
    public int getInt(int index) {
        return seg.get(INT, index(index, 4));
    }

    /** The big-endian long at {@code index}. */
    public long getLong(int index) {
        return seg.get(LONG, index(index, 8));
    }

    /** Copies {@code length} bytes from absolute {@code index} into {@code dst} at {@code offset} (position unchanged). */
    public IoBuf get(int index, byte[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, dst.length);
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, index(index, length), dst, offset, length);
        return this;
    }

    /** Writes {@code value} at {@code index} (position unchanged). */
    public IoBuf put(int index, byte value) {
        seg.set(ValueLayout.JAVA_BYTE, putIndex(index, 1), value);
        return this;
    }

    /** Writes a big-endian short at {@code index}. */
    public IoBuf putShort(int index, short value) {
        seg.set(SHORT, putIndex(index, 2), value);
        return this;
    }

    /** Writes a big-endian int at {@code index}. */
    public IoBuf putInt(int index, int value) {
        seg.set(INT, putIndex(index, 4), value);
        return this;
    }

    /** Writes a big-endian long at {@code index}. */
    public IoBuf putLong(int index, long value) {
        seg.set(LONG, putIndex(index, 8), value);
        return this;
    }

    /**
     * The index of the first {@code value} between the position and the limit, or -1; nothing
     * moves. For framing: {@code buf.indexOf((byte) '\n')}.
     */
    public int indexOf(byte value) {
        check();
        for (int i = pos; i < lim; i++) {
            if (seg.get(ValueLayout.JAVA_BYTE, i) == value) {
                return i;
            }
        }
        return -1;
    }

    /** A copy of the remaining bytes (position..limit); nothing moves. */
    public byte[] toByteArray() {
        check();
        byte[] out = new byte[lim - pos];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, out, 0, out.length);
        return out;
    }

    // ------------------------------------------------------------------ views

    /** A view of the remaining bytes: its index 0 is this buffer's position, its capacity {@link #remaining()}. */
    public IoBuf slice() {
        check();
        return new IoBuf(seg.asSlice(pos, lim - pos), lease, readOnly, 0, lim - pos);
    }

    /**
     * A view of {@code length} bytes from {@code index} (absolute; this buffer's position and limit
     * do not matter): position 0, limit and capacity {@code length}.
     */
    public IoBuf slice(int index, int length) {
        check();
        Objects.checkFromIndexSize(index, length, cap);
        return new IoBuf(seg.asSlice(index, length), lease, readOnly, 0, length);
    }

    /** A view of the same memory with the same position and limit, moved independently from now on. */
    public IoBuf duplicate() {
        check();
        return new IoBuf(seg, lease, readOnly, pos, lim);
    }

    /** A read-only view of the same memory with the same position and limit. */
    public IoBuf asReadOnly() {
        check();
        return new IoBuf(readOnly ? seg : seg.asReadOnly(), lease, true, pos, lim);
    }

    /** A read-only view of the remaining bytes (position..limit), starting at index 0. */
    public IoBuf readable() {
        check();
        MemorySegment s = seg.asSlice(pos, lim - pos);
        return new IoBuf(readOnly ? s : s.asReadOnly(), lease, true, 0, lim - pos);
    }

    /**
     * The memory of this buffer: {@link #capacity()} bytes, index 0 at this buffer's index 0
     * (read-only for a read-only view). For FFM calls; valid while the buffer is.
     */
    public MemorySegment segment() {
        check();
        return seg;
    }

    /**
     * A {@link ByteBuffer} over this buffer's memory for NIO channel calls, with this buffer's
     * position and limit (same indices, same capacity; read-only for a read-only view). Nothing is
     * copied: a channel reads straight into this buffer's memory. The channel call moves the
     * {@code ByteBuffer}'s position, not this buffer's: afterwards {@link #advance advance} by the
     * count the call returned.
     *
     * {@snippet class="dev.weft.io.snippets.IoSnippets" region="nio"}
     *
     * <p>The same {@code ByteBuffer} object is returned by every call (its position and limit
     * reset to this buffer's), so a loop allocates nothing. Do not keep it beyond the call it is
     * made for: it does not know when the buffer is given back.
     */
    public ByteBuffer asByteBuffer() {
        check();
        ByteBuffer b = nio;
        if (b == null) {
            b = seg.asByteBuffer();
            nio = b;
        }
        b.limit(lim);
        b.position(pos);
        return b;
    }

    /** Position, limit, capacity and kind, e.g. {@code IoBuf[pos=0 lim=16 cap=16 direct]}; never throws. */
    @Override
    public String toString() {
        return "IoBuf[pos=" + pos + " lim=" + lim + " cap=" + cap + (seg.isNative() ? " direct" : " heap")
                + (readOnly ? " read-only" : "") + lease.stateName() + "]";
    }
}

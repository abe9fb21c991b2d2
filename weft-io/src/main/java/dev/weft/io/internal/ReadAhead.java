package dev.weft.io.internal;

import dev.weft.io.IoBuf;

/**
 * Bytes a stream has taken from its source but not yet delivered to a reader: where a completion
 * driver puts the bytes of an owned read that completed after it was cancelled, so the next read
 * returns them first (the owned-read cancellation rule). A growable FIFO of bytes; the rare cancel
 * path pays one copy, the normal path none. Single-threaded: its stream's lock guards it.
 */
public final class ReadAhead {
    private byte[] data = new byte[0];
    private int head;
    private int tail;

    /** True when no byte is waiting. */
    public boolean isEmpty() {
        return head == tail;
    }

    /** The number of bytes waiting. */
    public int size() {
        return tail - head;
    }

    /** Appends {@code length} bytes of {@code src} from absolute index {@code index} (src's position does not move). */
    public void append(IoBuf src, int index, int length) {
        if (length <= 0) {
            return;
        }
        if (data.length - tail < length) {
            int size = tail - head;
            byte[] bigger = size + length <= data.length ? data : new byte[Math.max(2 * data.length, size + length)];
            System.arraycopy(data, head, bigger, 0, size);
            data = bigger;
            head = 0;
            tail = size;
        }
        src.duplicate().limit(index + length).position(index).get(data, tail, length);
        tail += length;
    }

    /** Moves as many waiting bytes as fit into {@code dst}; advances it. @return the count */
    public int drainTo(IoBuf dst) {
        int n = Math.min(tail - head, dst.remaining());
        dst.put(data, head, n);
        head += n;
        if (head == tail) {
            head = 0;
            tail = 0;
        }
        return n;
    }

    /** Drops every waiting byte. */
    public void clear() {
        head = 0;
        tail = 0;
    }
}

package dev.weft.sync.internal;

import java.util.Arrays;

/**
 * Messages given back by {@code Future.release} of a receive, waiting to be received again before
 * anything else, in their original order: each carries the position it was taken at, and the
 * list is kept sorted by it (a join may give back its branches' messages in any order). Usually
 * holds one message; it only grows while several receives of one receiver are discarded
 * together.
 *
 * <p>Not thread-safe: its owner guards it (an mpsc channel's consumer lock; a broadcast receiver's
 * single owning task). Adding may allocate (a larger array); it runs no user code.
 */
final class ReturnedMessages {
    private long[] positions = new long[2];
    private Object[] messages = new Object[2];
    private int head;           // index of the oldest
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** Inserts {@code message}, taken at {@code position}, in position order. */
    void add(long position, Object message) {
        if (head + size == messages.length) {
            if (head > 0) {                                     // slide down to index 0
                System.arraycopy(positions, head, positions, 0, size);
                System.arraycopy(messages, head, messages, 0, size);
                Arrays.fill(messages, size, head + size, null);
                head = 0;
            } else {
                positions = Arrays.copyOf(positions, size * 2);
                messages = Arrays.copyOf(messages, size * 2);
            }
        }
        int i = head + size;
        while (i > head && positions[i - 1] > position) {      // usually 0 or 1 step
            positions[i] = positions[i - 1];
            messages[i] = messages[i - 1];
            i--;
        }
        positions[i] = position;
        messages[i] = message;
        size++;
    }

    /** The position of the oldest message; only when not empty. */
    long firstPosition() {
        return positions[head];
    }

    /** The oldest message, without removing it; only when not empty. */
    Object first() {
        return messages[head];
    }

    /** Removes and returns the oldest message; only when not empty. */
    Object pollFirst() {
        Object m = messages[head];
        messages[head] = null;
        size--;
        head = size == 0 ? 0 : head + 1;
        return m;
    }
}

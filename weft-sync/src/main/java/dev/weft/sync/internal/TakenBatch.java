package dev.weft.sync.internal;

import java.util.Arrays;

/**
 * The messages one batch receive took, with their positions, in the order taken: filled under the
 * consumer lock (no user code there), then moved into the user's sink outside it, and kept by
 * {@link RecvManyFuture} so that {@code release} can give them back. Owned by one future.
 *
 * @param <T> the message type
 */
final class TakenBatch<T> {
    private long[] positions;
    private Object[] messages;
    private int size;

    TakenBatch(int max) {
        int initial = Math.max(1, Math.min(max, 16));
        this.positions = new long[initial];
        this.messages = new Object[initial];
    }

    void add(long position, T message) {
        if (size == messages.length) {
            positions = Arrays.copyOf(positions, size * 2);
            messages = Arrays.copyOf(messages, size * 2);
        }
        positions[size] = position;
        messages[size] = message;
        size++;
    }

    int size() {
        return size;
    }

    long position(int i) {
        return positions[i];
    }

    @SuppressWarnings("unchecked")
    T message(int i) {
        return (T) messages[i];
    }
}

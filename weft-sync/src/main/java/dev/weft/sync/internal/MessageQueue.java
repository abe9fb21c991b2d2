package dev.weft.sync.internal;

/**
 * The buffer under an mpsc channel: many producers, one consumer at a time (the channel holds a
 * consumer lock around the consumer methods). Messages are never null. A queue can be closed
 * once; after that, {@link #offer} fails and the consumer drains what was claimed before.
 *
 * @param <T> the message type
 */
public interface MessageQueue<T> {
    /** {@link #offer} stored the message. */
    int OK = 0;
    /** {@link #offer} found no free slot (bounded queues only). */
    int FULL = 1;
    /** {@link #offer} found the queue closed. */
    int CLOSED = 2;

    /** Any thread: stores {@code message}; returns {@link #OK}, {@link #FULL} or {@link #CLOSED}. */
    int offer(T message);

    /**
     * Consumer only: takes the message at the head, or returns null if none is visible yet (empty,
     * or a producer has claimed the head slot and not written it yet).
     */
    T poll();

    /**
     * Consumer only: the position of the message {@link #poll()} would take next, i.e. how many
     * it has taken so far. Positions order the messages (a given-back message keeps its own).
     */
    long position();

    /** Consumer only: true if producers have claimed slots the consumer has not taken yet. */
    boolean claimedAhead();

    /** Consumer only: true once the queue is closed and every claimed slot was taken. */
    boolean finished();

    /** Any thread: closes the queue to new messages; true if this call closed it. */
    boolean close();

    /** Any thread: true once {@link #close()} ran. */
    boolean isClosed();

    /** Any thread: the number of messages held, approximately (exact when quiescent). */
    long size();
}

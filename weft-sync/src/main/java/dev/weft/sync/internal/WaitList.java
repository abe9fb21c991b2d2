package dev.weft.sync.internal;

/**
 * An intrusive FIFO list of {@link WaitNode}s. Not thread-safe: every method except
 * {@link #size()} is called under the lock of the primitive that owns the list. {@link #size()}
 * is volatile so a fast path can ask "is anybody waiting?" without taking the lock; that read
 * takes part in a store-then-load handshake documented by each user (see {@link WakeQueue}).
 */
public final class WaitList {
    private WaitNode head;
    private WaitNode tail;
    private volatile int size;

    /** The number of queued nodes; readable without the lock (volatile). */
    public int size() {
        return size;
    }

    /** True when no node is queued. Under the lock. */
    public boolean isEmpty() {
        return head == null;
    }

    /** The oldest node, or null. Under the lock. */
    public WaitNode peekFirst() {
        return head;
    }

    /** Appends {@code node}, which must not be in any list. Under the lock. */
    public void addLast(WaitNode node) {
        node.next = null;
        node.prev = tail;
        if (tail == null) {
            head = node;
        } else {
            tail.next = node;
        }
        tail = node;
        size = size + 1;        // single writer: we hold the lock
    }

    /** Removes and returns the oldest node, or null. Under the lock. */
    public WaitNode pollFirst() {
        WaitNode node = head;
        if (node != null) {
            remove(node);
        }
        return node;
    }

    /** Unlinks {@code node}, which must be in this list. Under the lock. */
    public void remove(WaitNode node) {
        WaitNode p = node.prev;
        WaitNode n = node.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prev = p;
        }
        node.prev = null;
        node.next = null;
        size = size - 1;        // single writer: we hold the lock
    }
}

package dev.weft.sync.internal;

import dev.weft.Waker;

/**
 * One waiting operation (a pending receive, send, acquisition…): a link in a {@link WaitList}
 * plus the waker of the task that waits. Futures extend it, so waiting allocates no extra node.
 *
 * <p>Who touches what: {@link #prev}, {@link #next} and {@link #waker} are read and written only
 * under the lock of the primitive whose list holds the node. {@link #status} is written under that
 * lock too, and read without it (volatile) by the node's own future as a fast check; its values
 * belong to the primitive (each one documents its state machine), except {@link #IDLE}, which
 * always means "not in any list, nothing owed".
 */
public class WaitNode {
    static {
        dev.weft.internal.Diagnostics.registerLibrary(WaitNode.class);   // its frames are Weft's in dumps
    }

    /** Not queued, no grant pending: a fresh node, or one whose wait is over. */
    public static final int IDLE = 0;
    /** In the list, waiting for a wake or a grant. */
    public static final int WAITING = 1;
    /** Taken out of the list by a waker or granter; its future has not yet seen that. */
    public static final int WOKEN = 2;

    WaitNode prev;
    WaitNode next;
    /** The waker to wake; guarded by the list's lock. */
    public Waker waker;
    /** Primitive-specific state; written under the list's lock (or CAS), read anywhere. */
    public volatile int status;
}

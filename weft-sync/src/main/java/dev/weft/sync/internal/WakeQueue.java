package dev.weft.sync.internal;

import dev.weft.internal.SpinLock;
import dev.weft.Waker;

/**
 * Tasks waiting for "something may have changed" (a message arrived, a slot was freed, a value
 * was published): the parking lot of the channels. A waiter registers, then re-checks its
 * condition; whoever changes the condition then asks {@link #hasWaiters()} and, if so, wakes one
 * or all. Being woken is only a hint to retry, never a grant: the retry re-checks the condition.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li><b>No lost wake-up (store-then-load on both sides).</b> The changer writes its condition
 *       (a volatile store, or a store followed by a full fence) and then reads {@code size}
 *       (volatile). The waiter increments {@code size} under the lock (a volatile store) and then
 *       reads the condition (volatile). Both pairs are sequentially consistent, so at least one
 *       side sees the other: the changer sees the waiter and wakes it, or the waiter sees the
 *       change and does not wait. Checked by {@code ChannelWakeupRace} (jcstress, module
 *       weft-stress), {@code ChannelWakeupRaceTest}, and the Lincheck model checks of the
 *       channels.</li>
 *   <li><b>Node states.</b> {@code IDLE → WAITING} (register) {@code → WOKEN} (wakeOne/wakeAll
 *       took it out of the list) {@code → WAITING} (re-registered after a failed retry) or
 *       {@code → IDLE} ({@link #retire}). Every transition happens under {@code this} lock;
 *       {@link #retire} reads the status without the lock only to skip the lock for an IDLE node,
 *       and only the node's owner makes a node leave IDLE, so that read cannot be stale.</li>
 *   <li><b>Wake-one forwarding.</b> With {@link #wakeOne()} a wake is owed to whoever can use it.
 *       If a woken node's future is retired (completed, or cancelled) the wake may have been meant
 *       for a condition the node did not consume, so {@code retire(node, true)} passes a wake on
 *       to the next waiter. At worst that is one spurious wake; never a stuck waiter.</li>
 *   <li>Wakers are called outside the lock, so a waker that polls or re-registers at once cannot
 *       deadlock or corrupt the list.</li>
 * </ul>
 */
public final class WakeQueue {
    /** Guards this object's mutable state; a {@link SpinLock}, never a monitor (see SpinLock for why). */
    private final SpinLock lock = new SpinLock();
    private final WaitList waiters = new WaitList();

    /** True if some node is registered (volatile read; see the class notes for the handshake). */
    public boolean hasWaiters() {
        return waiters.size() != 0;
    }

    /**
     * Registers {@code node} to be woken through {@code waker}; if it is already registered, only
     * its waker is refreshed. The caller must re-check its condition afterwards.
     */
    public void register(WaitNode node, Waker waker) {
        lock.lock();
        try {
            if (node.status == WaitNode.WAITING) {
                if (!node.waker.willWake(waker)) {
                    node.waker = waker;
                }
                return;
            }
            node.waker = waker;
            node.status = WaitNode.WAITING;
            waiters.addLast(node);
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the oldest registered node, if any. */
    public void wakeOne() {
        Waker w = null;
        lock.lock();
        try {
            WaitNode node = waiters.pollFirst();
            if (node != null) {
                node.status = WaitNode.WOKEN;
                w = node.waker;
                node.waker = null;
            }
        } finally {
            lock.unlock();
        }
        if (w != null) {
            w.wake();
        }
    }

    /** Wakes every registered node. */
    public void wakeAll() {
        if (!hasWaiters()) {
            return;
        }
        Waker[] batch;
        lock.lock();
        try {
            int n = waiters.size();
            if (n == 0) {
                return;
            }
            batch = new Waker[n];
            for (int i = 0; i < n; i++) {
                WaitNode node = waiters.pollFirst();
                node.status = WaitNode.WOKEN;
                batch[i] = node.waker;
                node.waker = null;
            }
        } finally {
            lock.unlock();
        }
        for (Waker w : batch) {
            w.wake();
        }
    }

    /**
     * The node's wait is over (its future completed or was cancelled): unlinks it if it is still
     * registered. If it had been woken by {@link #wakeOne()} and {@code forward} is set, a wake is
     * passed on to the next waiter (see the class notes).
     */
    public void retire(WaitNode node, boolean forward) {
        if (node.status == WaitNode.IDLE) {   // only the owner leaves IDLE: not stale
            return;
        }
        lock.lock();
        try {
            int s = node.status;
            node.status = WaitNode.IDLE;
            node.waker = null;
            if (s == WaitNode.WAITING) {
                waiters.remove(node);
                return;
            }
        } finally {
            lock.unlock();
        }
        if (forward) {
            wakeOne();
        }
    }
}

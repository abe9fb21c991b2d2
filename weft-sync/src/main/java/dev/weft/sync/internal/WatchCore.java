package dev.weft.sync.internal;

import dev.weft.internal.SpinLock;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Weft;
import dev.weft.spi.Coop;
import dev.weft.sync.ClosedException;
import dev.weft.sync.Watch;

/**
 * A watch: the latest value with a version number, and the receivers waiting for a newer one.
 *
 * <h2>Implementation notes</h2>
 * Semantics of tokio's {@code sync/watch.rs}; the code is Weft's own.
 * <ul>
 *   <li>{@code current} is an immutable (value, version) pair behind a volatile field, so a read
 *       is one load and never torn. Sends serialize on {@code this} lock (the version increments
 *       by one per send), then read {@code waiters.hasWaiters()} and wake them all: the
 *       {@link WakeQueue} handshake (store {@code current}, then load the waiter count; a waiter
 *       registers, then re-reads {@code current}); exercised by {@code WatchTest}, the
 *       handshake itself checked by {@code ChannelWakeupRace}.</li>
 *   <li>Each receiver keeps the version it has seen (plain: one task at a time). A
 *       {@code changed()} future marks a version seen only in the poll that returns it, so
 *       cancelling it marks nothing. Its {@code release} (a combinator discards the value) puts
 *       back the version seen before that poll, if nothing was seen since, so the change is not
 *       lost: the next {@code changed()} returns at once (with the latest value). Plain, like
 *       {@code seen}: release comes from the combinator in the owning task. Tested by
 *       {@code ReleaseSignalsTest}.</li>
 *   <li>{@code senderClosed} is volatile and set once, after the last send.</li>
 * </ul>
 *
 * @param <T> the value type
 */
public final class WatchCore<T> {
    /** Guards this object's mutable state; a {@link SpinLock}, never a monitor (see SpinLock for why). */
    private final SpinLock lock = new SpinLock();

    /** A value and its version. Immutable. */
    private record Version<T>(T value, long version) { }

    private final WakeQueue waiters = new WakeQueue();
    private volatile Version<T> current;
    private volatile boolean senderClosed;
    private int receivers;                             // guarded by this

    public WatchCore(T initial) {
        this.current = new Version<>(initial, 0);
    }

    public Watch.Sender<T> sender() {
        return new SenderHandle();
    }

    public Watch.Receiver<T> subscribe() {
        lock.lock();
        try {
            receivers++;
            return new ReceiverHandle(current.version());
        } finally {
            lock.unlock();
        }
    }

    private final class SenderHandle implements Watch.Sender<T> {
        @Override
        public void send(T value) {
            lock.lock();
            try {
                if (senderClosed) {
                    throw new IllegalStateException("this watch's sender was closed");
                }
                if (receivers == 0) {
                    throw new ClosedException("no watch receiver is open: the value was not stored", value);
                }
                current = new Version<>(value, current.version() + 1);
            } finally {
                lock.unlock();
            }
            if (waiters.hasWaiters()) {
                waiters.wakeAll();
            }
        }

        @Override
        public T current() {
            return current.value();
        }

        @Override
        public Watch.Receiver<T> subscribe() {
            return WatchCore.this.subscribe();
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (senderClosed) {
                    return;
                }
                senderClosed = true;
            } finally {
                lock.unlock();
            }
            waiters.wakeAll();
        }

        @Override
        public int receiverCount() {
            lock.lock();
            try {
                return receivers;
            } finally {
                lock.unlock();
            }
        }
    }

    private final class ReceiverHandle implements Watch.Receiver<T> {
        private long seen;                             // owned by the task using this receiver
        private boolean handleClosed;                  // guarded by the core's lock

        ReceiverHandle(long seen) {
            this.seen = seen;
        }

        @Override
        public T current() {
            return WatchCore.this.current.value();
        }

        @Override
        public boolean hasChanged() {
            return WatchCore.this.current.version() != seen;
        }

        /** The newer value (marked seen), or null if there is none yet; throws at the end. */
        private Version<T> take() {
            Version<T> v = WatchCore.this.current;
            if (v.version() != seen) {
                seen = v.version();
                return v;
            }
            if (senderClosed) {
                Version<T> again = WatchCore.this.current;       // a last send may precede the close
                if (again.version() != seen) {
                    seen = again.version();
                    return again;
                }
                throw new ClosedException("the watch's sender was closed and its latest value was seen");
            }
            return null;
        }

        @Override
        public T changed() {
            Coop.proceedBlocking();
            Version<T> v = take();
            if (v != null) {
                return v.value();
            }
            return Weft.await(changedFuture());
        }

        @Override
        public Future<T> changedFuture() {
            return new Changed();
        }

        @Override
        public Watch.Receiver<T> clone() {
            lock.lock();
            try {
                receivers++;
                return new ReceiverHandle(seen);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!handleClosed) {
                    handleClosed = true;
                    receivers--;
                }
            } finally {
                lock.unlock();
            }
        }

        /** One wait for a change; its own wait node. One poller at a time; drop and release from the owning task. */
        private final class Changed extends WaitNode implements Future<T> {
            private long seenBefore;                   // what the receiver had seen before the ready poll
            private long delivered = -1;               // the version the ready poll returned; -1: none (or given back)

            @Override
            public Poll<T> poll(Context cx) {
                if (!Coop.proceed(cx)) {
                    return Poll.pending();
                }
                long before = seen;
                Version<T> v;
                try {
                    v = take();
                    if (v == null) {
                        waiters.register(this, cx.waker());
                        v = take();
                    }
                } catch (ClosedException end) {
                    waiters.retire(this, false);
                    throw end;
                }
                if (v == null) {
                    return Poll.pending();
                }
                waiters.retire(this, false);
                seenBefore = before;
                delivered = v.version();
                return Poll.ready(v.value());
            }

            @Override
            public void drop() {
                waiters.retire(this, false);
            }

            /** The value is discarded unused: its version counts as unseen again, unless a newer one was seen since. */
            @Override
            public void release(T value) {
                if (delivered >= 0 && seen == delivered) {
                    seen = seenBefore;
                }
                delivered = -1;
            }
        }
    }
}

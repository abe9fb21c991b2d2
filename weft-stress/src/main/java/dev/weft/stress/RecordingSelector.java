package dev.weft.stress;

import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelectionKey;
import java.nio.channels.spi.AbstractSelector;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A {@link Selector} for {@code NioDriver} in jcstress tests: no file descriptor, no kernel. Keys
 * are {@link Key}s that remember their interest set; a blocking select records the interest of
 * the (one) key at the moment it would block and then waits as {@link WakeLatch} says; selects
 * report no events (a test delivers events itself, through {@code Registration.ready}).
 */
final class RecordingSelector extends AbstractSelector {
    final WakeLatch latch = new WakeLatch();
    private final Set<SelectionKey> keys = ConcurrentHashMap.newKeySet();
    private volatile Key key;
    /** The key's interest set when the last blocking select began (-1: no key yet); selecting thread. */
    int interestAtSelect = -2;
    /** How the last blocking select ended ({@link WakeLatch#WOKEN}...); 0 if none. Selecting thread. */
    int selectEnd;

    RecordingSelector() {
        super(null);
    }

    /** The key of the one channel registered, or null. */
    Key key() {
        return key;
    }

    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
        Key k = new Key(this, ch, ops);
        k.attach(att);
        keys.add(k);
        key = k;
        return k;
    }

    @Override
    protected void implCloseSelector() { }

    @Override
    public Set<SelectionKey> keys() {
        return keys;
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        return Set.of();
    }

    @Override
    public int selectNow() {
        latch.poll();
        return 0;
    }

    @Override
    public int select(long timeout) {
        return blockingSelect();
    }

    @Override
    public int select() {
        return blockingSelect();
    }

    @Override
    public int select(Consumer<SelectionKey> action, long timeout) {
        return blockingSelect();
    }

    @Override
    public int select(Consumer<SelectionKey> action) {
        return blockingSelect();
    }

    @Override
    public int selectNow(Consumer<SelectionKey> action) {
        return selectNow();
    }

    private int blockingSelect() {
        Key k = key;
        interestAtSelect = k == null ? -1 : k.interestOps();
        selectEnd = latch.await();
        return 0;
    }

    @Override
    public Selector wakeup() {
        latch.wakeup();
        return this;
    }

    /** A selection key that remembers its interest set; ready operations are set by the test. */
    static final class Key extends AbstractSelectionKey {
        private final Selector selector;
        private final AbstractSelectableChannel channel;
        private volatile int interest;
        volatile int ready;

        Key(Selector selector, AbstractSelectableChannel channel, int interest) {
            this.selector = selector;
            this.channel = channel;
            this.interest = interest;
        }

        @Override
        public AbstractSelectableChannel channel() {
            return channel;
        }

        @Override
        public Selector selector() {
            return selector;
        }

        @Override
        public int interestOps() {
            return interest;
        }

        @Override
        public SelectionKey interestOps(int ops) {
            interest = ops;
            return this;
        }

        @Override
        public int readyOps() {
            return ready;
        }
    }

    /** A non-blocking channel with nothing behind it: a socket as far as the driver can tell. */
    static final class Channel extends AbstractSelectableChannel {
        Channel() {
            super(null);
        }

        @Override
        public int validOps() {
            return SelectionKey.OP_READ | SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;
        }

        @Override
        protected void implCloseSelectableChannel() { }

        @Override
        protected void implConfigureBlocking(boolean block) { }
    }
}

package dev.weft.io.internal.nio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.Selector;
import java.util.concurrent.locks.LockSupport;

/**
 * A platform thread that calls {@link Selector#wakeup()} for virtual threads, which must never
 * call it themselves.
 *
 * <h2>Why</h2>
 * {@code wakeup()} enters a monitor of the selector ({@code interruptLock}) that the selecting
 * thread also enters after every woken select. A virtual thread that finds it held unmounts
 * (JDK 24+) and is made the monitor's successor: until a worker runs it again, every other thread
 * that wants the monitor waits, including the worker in {@code select}. If that worker is the
 * one that should run it, the runtime stops (ARCHITECTURE.md decision 12, through the JDK's own
 * monitor; {@code NioDriverTest.wakeupsFromVirtualThreadsNeverStallTheRuntime} hung in its first
 * run without this class). A platform thread that blocks on the monitor just waits its turn.
 *
 * <h2>Implementation notes</h2>
 * {@link #request()} sets {@link #requested} (volatile) and unparks the thread; the thread clears
 * the flag with {@code getAndSet} before it wakes the selector, and parks only after finding it
 * clear, so a request is never lost (a permit from an unpark that came between the look and the
 * park makes the park return). Requests that come together are served by one wakeup. The thread
 * starts on the first request and ends at {@link #stop()}.
 */
final class SelectorWaker implements Runnable {
    private static final VarHandle REQUESTED;
    private static final VarHandle THREAD;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            REQUESTED = l.findVarHandle(SelectorWaker.class, "requested", boolean.class);
            THREAD = l.findVarHandle(SelectorWaker.class, "thread", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Selector selector;
    private final String name;
    @SuppressWarnings("unused") // through REQUESTED
    private volatile boolean requested;
    @SuppressWarnings("unused") // through THREAD
    private volatile Thread thread;
    private volatile boolean stopped;

    SelectorWaker(Selector selector, String name) {
        this.selector = selector;
        this.name = name;
    }

    /** Any thread: the selector will be woken soon (by this class's thread). Never blocks. */
    void request() {
        REQUESTED.setVolatile(this, true);
        Thread t = (Thread) THREAD.getVolatile(this);
        if (t == null) {
            Thread made = Thread.ofPlatform().name(name).daemon(true).unstarted(this);
            t = (Thread) THREAD.compareAndExchange(this, null, made);
            if (t == null) {
                made.start();       // this thread won the race: nobody else starts it
                return;
            }
        }
        LockSupport.unpark(t);
    }

    @Override
    public void run() {
        while (!stopped) {
            if ((boolean) REQUESTED.getAndSet(this, false)) {
                selector.wakeup();
            } else {
                LockSupport.park(this);
            }
        }
    }

    /** The driver closed: the thread ends. */
    void stop() {
        stopped = true;
        Thread t = (Thread) THREAD.getVolatile(this);
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}

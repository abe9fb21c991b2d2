package dev.weft.internal;

import dev.weft.Waker;
import java.util.concurrent.locks.LockSupport;

/** Wakes a thread parked in {@link Await}: unpark is idempotent and harmless after the thread ends. */
final class ThreadWaker implements Waker {
    private final Thread thread;

    ThreadWaker(Thread thread) {
        this.thread = thread;
    }

    @Override
    public void wake() {
        LockSupport.unpark(thread);
    }

    @Override
    public boolean willWake(Waker other) {
        return other instanceof ThreadWaker t && t.thread == thread;
    }
}

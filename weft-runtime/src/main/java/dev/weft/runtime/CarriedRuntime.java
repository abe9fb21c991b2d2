package dev.weft.runtime;

import dev.weft.runtime.internal.CarrierHook;
import dev.weft.runtime.internal.RuntimeScheduler;
import dev.weft.spi.AbstractRuntime;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * What the runtimes that schedule virtual threads themselves share: their virtual threads come
 * from the carrier hook with the runtime's scheduler, are recognised by that scheduler, and so
 * need no inherited thread-local to find their runtime.
 */
abstract class CarriedRuntime extends AbstractRuntime {
    static {
        dev.weft.internal.Diagnostics.registerLibrary(Runtimes.class);   // weft-runtime's frames are Weft's in dumps
    }

    private volatile ThreadFactory virtualThreads;

    CarriedRuntime(String name) {
        super(name);
    }

    /** The executor the JDK hands this runtime's virtual threads to. */
    abstract RuntimeScheduler scheduler();

    /** Poll tasks and virtual threads share one scheduler. */
    @Override
    public final Executor pollExecutor() {
        return scheduler();
    }

    @Override
    public final ThreadFactory virtualThreadFactory() {
        ThreadFactory f = virtualThreads;
        if (f == null) {
            f = CarrierHook.virtualThreadFactory(scheduler(), name());   // idempotent: a race makes two, keeps one
            virtualThreads = f;
        }
        return f;
    }

    @Override
    public final boolean carries(Thread virtualThread) {
        return CarrierHook.isCarriedBy(virtualThread, scheduler());
    }

    /** Its virtual threads are recognised by their scheduler: no thread-local per task. */
    @Override
    public final boolean inheritsContext() {
        return false;
    }
}

package dev.weft.runtime.internal;

import dev.weft.internal.ExecutionContext;
import java.util.concurrent.ThreadFactory;

/**
 * The factory of sequential tasks' threads, the same on every runtime: a task's thread inherits
 * the inheritable thread-locals of the thread that spawns it (an MDC-style value set in a task, or
 * in the plain thread that calls {@code runtime.spawn}, reaches the child), as any thread started
 * there would. A spawn from a runtime's own thread (a worker polling a poll task) inherits
 * nothing: that thread's inheritable values belong to no task (and copying its map would cost
 * every spawn from a poll task an allocation).
 */
public final class TaskThreads {
    private TaskThreads() { }

    /** A factory over {@code builder}'s settings; the builder is not used afterwards. */
    public static ThreadFactory of(Thread.Builder.OfVirtual builder) {
        ThreadFactory inheriting = builder.inheritInheritableThreadLocals(true).factory();
        ThreadFactory fresh = builder.inheritInheritableThreadLocals(false).factory();
        return body -> (ExecutionContext.onRuntimeThread() ? fresh : inheriting).newThread(body);
    }
}

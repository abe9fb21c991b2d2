package dev.weft.internal;

import dev.weft.spi.AbstractRuntime;

/**
 * What runs on the current thread: the runtime and, while a task runs, the task.
 *
 * <h2>Implementation notes</h2>
 * One instance per thread, held in an {@link InheritableThreadLocal}:
 * <ul>
 *   <li>A runtime's worker thread has one for its whole life; its {@link #task} field is
 *       rewritten around every poll by that worker only (a plain field: only the owner reads
 *       it).</li>
 *   <li>A sequential task's virtual thread gets its own when the body starts, with the task
 *       fixed.</li>
 *   <li>A thread started inside a task inherits its parent's instance; {@link #owner} tells it is
 *       inherited. A virtual thread that the runtime {@linkplain AbstractRuntime#carries carries}
 *       (plain {@code Thread.ofVirtual()} inherits its parent's scheduler) adopts the runtime,
 *       with no task; a platform thread is not part of the runtime and gets nothing.</li>
 * </ul>
 */
public final class ExecutionContext {
    private static final InheritableThreadLocal<ExecutionContext> CURRENT = new InheritableThreadLocal<>();

    static final String NO_RUNTIME = "No Weft runtime is running on this thread (%s). Weft.spawn, Weft.sleep, "
            + "Weft.timeout and the I/O types act on the current runtime, so call them from inside one: wrap main in "
            + "Weft.run(() -> { ... }), or use runtime.run(...) / runtime.spawn(...) on a runtime built with "
            + "dev.weft.runtime.Runtimes. A platform thread started inside a task is not part of the task's runtime; "
            + "start a virtual thread (Thread.ofVirtual()) or spawn a task instead.";

    final AbstractRuntime runtime;
    final Thread owner;
    TaskCore<?> task;

    private ExecutionContext(AbstractRuntime runtime, Thread owner, TaskCore<?> task) {
        this.runtime = runtime;
        this.owner = owner;
        this.task = task;
    }

    /** Installs a context for a runtime's own thread (a worker, a loop thread); returns the previous one. */
    public static ExecutionContext enterWorker(AbstractRuntime runtime) {
        ExecutionContext previous = CURRENT.get();
        CURRENT.set(new ExecutionContext(runtime, Thread.currentThread(), null));
        return previous;
    }

    /** Restores what {@link #enterWorker} returned. */
    public static void restore(ExecutionContext previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    static void enterSequential(AbstractRuntime runtime, TaskCore<?> task) {
        CURRENT.set(new ExecutionContext(runtime, Thread.currentThread(), task));
    }

    /** The context of the calling thread, adopting an inherited one if the thread is carried by its runtime. */
    static ExecutionContext currentOrNull() {
        ExecutionContext c = CURRENT.get();
        if (c == null) {
            return null;
        }
        Thread self = Thread.currentThread();
        if (c.owner == self) {
            return c;
        }
        if (self.isVirtual() && c.runtime.carries(self)) {
            ExecutionContext adopted = new ExecutionContext(c.runtime, self, null);
            CURRENT.set(adopted);
            return adopted;
        }
        CURRENT.remove();
        return null;
    }

    /** Installs a context for one poll on a thread that has none of this runtime's; returns the previous. */
    static ExecutionContext enterForPoll(AbstractRuntime runtime, TaskCore<?> task) {
        ExecutionContext previous = CURRENT.get();
        CURRENT.set(new ExecutionContext(runtime, Thread.currentThread(), task));
        return previous;
    }

    /** The context if it belongs to the calling thread and {@code runtime}, without adoption; or null. */
    static ExecutionContext ownedBy(AbstractRuntime runtime) {
        ExecutionContext c = CURRENT.get();
        if (c != null && c.runtime == runtime && c.owner == Thread.currentThread()) {
            return c;
        }
        return null;
    }

    /** Backs {@link dev.weft.Runtime#current()}. */
    public static AbstractRuntime currentRuntime() {
        ExecutionContext c = currentOrNull();
        if (c == null) {
            throw new IllegalStateException(String.format(NO_RUNTIME, Thread.currentThread()));
        }
        return c.runtime;
    }

    /** Backs {@link dev.weft.Runtime#find()}. */
    public static AbstractRuntime currentRuntimeOrNull() {
        ExecutionContext c = currentOrNull();
        return c == null ? null : c.runtime;
    }

    /** The task running on the calling thread, or null. */
    public static TaskCore<?> currentTaskOrNull() {
        ExecutionContext c = currentOrNull();
        return c == null ? null : c.task;
    }
}

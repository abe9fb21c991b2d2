package dev.weft.internal;

import dev.weft.spi.AbstractRuntime;

/**
 * What runs on the current thread: the runtime and, while a task runs, the task.
 *
 * <h2>Implementation notes</h2>
 * One instance per thread, held in an {@link InheritableThreadLocal}:
 * <ul>
 *   <li>A sequential task's virtual thread is found without any thread-local: the task is
 *       installed as the thread's {@link Thread.UncaughtExceptionHandler} before it starts, and
 *       {@link #currentOrNull()} reads that field. (The task does handle uncaught exceptions: it
 *       completes failed.) A library may replace the handler: then the task is found through
 *       {@link #SEQUENTIAL_TASK}, a scoped value bound around the body. Its context object is made
 *       once, when the body starts.</li>
 *   <li>A runtime's worker thread has one for its whole life; its {@link #task} field is
 *       rewritten around every poll by that worker only (a plain field: only the owner reads
 *       it).</li>
 *   <li>On a runtime that {@linkplain AbstractRuntime#inheritsContext() inherits context by
 *       thread-local} (the JDK-default runtime), a sequential task's thread also holds its context
 *       in the thread-local, so that threads it starts inherit it.</li>
 *   <li>A virtual thread started inside a task on a Weft scheduler has no inherited context; it is
 *       recognised by its scheduler through the {@linkplain #setSchedulerResolver resolver} the
 *       runtime module installs, and adopts that runtime.</li>
 *   <li>A thread started inside a task inherits its parent's instance; {@link #owner} tells it is
 *       inherited. A virtual thread that the runtime {@linkplain AbstractRuntime#carries carries}
 *       (plain {@code Thread.ofVirtual()} inherits its parent's scheduler) adopts the runtime,
 *       with no task; a platform thread is not part of the runtime and gets nothing.</li>
 * </ul>
 */
public final class ExecutionContext {
    private static final InheritableThreadLocal<ExecutionContext> CURRENT = new InheritableThreadLocal<>();
    /** The sequential task whose body runs on this thread: the fallback when its handler was replaced. */
    static final ScopedValue<SeqTask<?>> SEQUENTIAL_TASK = ScopedValue.newInstance();

    static final String NO_RUNTIME = "No Weft runtime is running on this thread (%s). Weft.spawn, Weft.sleep, "
            + "Weft.timeout and the I/O types act on the current runtime, so call them from inside one: wrap main in "
            + "Weft.run(() -> { ... }), or use runtime.run(...) / runtime.spawn(...) on a runtime built with "
            + "dev.weft.runtime.Runtimes. A platform thread started inside a task is not part of the task's runtime; "
            + "start a virtual thread (Thread.ofVirtual()) or spawn a task instead.";

    private static volatile java.util.function.Function<Thread, AbstractRuntime> schedulerResolver = t -> null;

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

    /** The context of a sequential task's own thread; also installed in the thread-local if the runtime inherits it. */
    static ExecutionContext forSequential(AbstractRuntime runtime, TaskCore<?> task) {
        ExecutionContext c = new ExecutionContext(runtime, Thread.currentThread(), task);
        if (runtime.inheritsContext()) {
            CURRENT.set(c);
        }
        return c;
    }

    /**
     * Installs how to find the Weft runtime that schedules a virtual thread (by its scheduler);
     * called by the runtime module's carrier hook.
     */
    public static void setSchedulerResolver(java.util.function.Function<Thread, AbstractRuntime> resolver) {
        schedulerResolver = resolver;
    }

    /** The context of the calling thread, adopting an inherited one if the thread is carried by its runtime. */
    static ExecutionContext currentOrNull() {
        Thread self = Thread.currentThread();
        if (self.isVirtual()) {
            SeqTask<?> seq = self.getUncaughtExceptionHandler() instanceof SeqTask<?> s ? s
                    : SEQUENTIAL_TASK.isBound() ? SEQUENTIAL_TASK.get() : null;
            if (seq != null) {
                ExecutionContext own = seq.context;
                if (own != null && own.owner == self) {
                    return own;
                }
            }
        }
        ExecutionContext c = CURRENT.get();
        if (c != null) {
            if (c.owner == self) {
                return c;
            }
            if (self.isVirtual() && c.runtime.carries(self)) {
                return adopt(c.runtime, self);
            }
            CURRENT.remove();
            return null;
        }
        if (self.isVirtual()) {
            AbstractRuntime rt = schedulerResolver.apply(self);
            if (rt != null) {
                return adopt(rt, self);
            }
        }
        return null;
    }

    private static ExecutionContext adopt(AbstractRuntime rt, Thread self) {
        ExecutionContext adopted = new ExecutionContext(rt, self, null);
        CURRENT.set(adopted);
        return adopted;
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

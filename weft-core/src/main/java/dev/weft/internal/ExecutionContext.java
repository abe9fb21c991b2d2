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
 *       {@link #currentOrNull(Thread)} reads that field. (The task does handle uncaught exceptions: it
 *       completes failed.) No context object is made for it. A library may replace the handler:
 *       then the task is found once among its runtime's live tasks ({@link #replacedHandler}) and
 *       a context for it kept in the thread-local.</li>
 *   <li>A runtime's worker thread has one for its whole life; its {@link #task} field is
 *       rewritten around every poll by that worker only (a plain field: only the owner reads
 *       it).</li>
 *   <li>On a runtime that {@linkplain AbstractRuntime#inheritsContext() inherits context by
 *       thread-local} (the JDK-default runtime), a sequential task's thread also holds its context
 *       in the thread-local, so that threads it starts inherit it.</li>
 *   <li>A virtual thread started inside a task on a Weft scheduler is recognised by its scheduler
 *       through the {@linkplain #setSchedulerResolver resolver} the runtime module installs, and
 *       adopts that runtime (whatever context it inherited).</li>
 *   <li>A thread started inside a task inherits its parent's instance; {@link #owner} tells it is
 *       inherited. A virtual thread on the JDK's scheduler (started inside a poll task on a
 *       worker, or inside any task of the JDK-default runtime) adopts the inherited runtime, with
 *       no task; a platform thread is not part of the runtime and gets nothing.</li>
 * </ul>
 */
public final class ExecutionContext {
    private static final InheritableThreadLocal<ExecutionContext> CURRENT = new InheritableThreadLocal<>();

    static final String NO_RUNTIME = "No Weft runtime is running on this thread (%s). Weft.spawn, Weft.sleep, "
            + "Weft.timeout and the I/O types act on the current runtime, so call them from inside one: wrap main in "
            + "Weft.run(() -> { ... }), or use runtime.run(...) / runtime.spawn(...) on a runtime built with "
            + "dev.weft.runtime.Runtimes. A platform thread started inside a task is not part of the task's runtime; "
            + "start a virtual thread (Thread.ofVirtual()) or spawn a task instead.";

    private static volatile java.util.function.Function<Thread, AbstractRuntime> schedulerResolver = t -> null;

    final AbstractRuntime runtime;
    final Thread owner;
    TaskCore<?> task;
    /** Made by {@link #enterWorker}: the owner is one of the runtime's own threads. */
    private final boolean runtimeThread;

    private ExecutionContext(AbstractRuntime runtime, Thread owner, TaskCore<?> task) {
        this(runtime, owner, task, false);
    }

    private ExecutionContext(AbstractRuntime runtime, Thread owner, TaskCore<?> task, boolean runtimeThread) {
        this.runtime = runtime;
        this.owner = owner;
        this.task = task;
        this.runtimeThread = runtimeThread;
    }

    /**
     * True on a runtime's own platform thread (a worker, a poller, a current-thread runtime's
     * driving thread while it drives): its inheritable thread-locals belong to no task, so a task
     * thread made there inherits none of them.
     */
    public static boolean onRuntimeThread() {
        Thread self = Thread.currentThread();
        if (self.isVirtual()) {
            return false;
        }
        ExecutionContext c = CURRENT.get();
        return c != null && c.owner == self && c.runtimeThread;
    }

    /** Installs a context for a runtime's own thread (a worker, a loop thread); returns the previous one. */
    public static ExecutionContext enterWorker(AbstractRuntime runtime) {
        ExecutionContext previous = CURRENT.get();
        CURRENT.set(new ExecutionContext(runtime, Thread.currentThread(), null, true));
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

    /**
     * Called by a sequential task's own thread as its body starts: on a runtime that inherits
     * context by thread-local, installs the task's context there so that threads it starts
     * inherit it. (The task itself is found through its thread's handler, see {@link #ownTask}.)
     */
    static void enterSequential(AbstractRuntime runtime, TaskCore<?> task) {
        if (runtime.inheritsContext()) {
            CURRENT.set(new ExecutionContext(runtime, Thread.currentThread(), task));
        }
    }

    private static volatile java.util.function.Supplier<Thread> carrierResolver = () -> null;

    /** Installs how to find the platform thread a running virtual thread is mounted on; called by the carrier hook. */
    public static void setCarrierResolver(java.util.function.Supplier<Thread> resolver) {
        carrierResolver = resolver;
    }

    /**
     * The platform (OS) thread running the caller: the caller itself, or the carrier of the
     * calling virtual thread; null if that cannot be known (the carrier hook is unavailable).
     * For drivers whose kernel objects are tied to the OS thread that submits to them (io_uring).
     */
    public static Thread currentOsThread() {
        Thread self = Thread.currentThread();
        return self.isVirtual() ? carrierResolver.get() : self;
    }

    /**
     * Installs how to find the Weft runtime that schedules a virtual thread (by its scheduler);
     * called by the runtime module's carrier hook.
     */
    public static void setSchedulerResolver(java.util.function.Function<Thread, AbstractRuntime> resolver) {
        schedulerResolver = resolver;
    }

    /**
     * The sequential task whose own thread is {@code self}, found through the thread's handler
     * (one field read), or null. No context object is kept per sequential task: an idle task's
     * memory is what it costs to have many.
     */
    private static SeqTask<?> ownTask(Thread self) {
        return self.isVirtual() && self.getUncaughtExceptionHandler() instanceof SeqTask<?> seq && seq.thread() == self
                ? seq : null;
    }

    /**
     * The context of the calling thread; not for sequential tasks found by {@link #ownTask}. A
     * virtual thread carried by a Weft scheduler adopts that runtime. Any other virtual thread
     * that inherited a context (started inside a task, on the JDK's scheduler: from a poll task
     * on a worker, or on the JDK-default runtime) adopts the inherited runtime, as
     * {@link dev.weft.Runtime#current()} promises; a platform thread started inside a task gets
     * nothing.
     */
    private static ExecutionContext currentOrNull(Thread self) {
        ExecutionContext c = CURRENT.get();
        if (c != null && c.owner == self) {
            return c;
        }
        if (self.isVirtual()) {
            AbstractRuntime rt = schedulerResolver.apply(self);
            if (rt != null) {
                ExecutionContext own = replacedHandler(rt, self);
                return own != null ? own : adopt(rt, self);
            }
            if (c != null) {
                return adopt(c.runtime, self);
            }
            return null;
        }
        if (c != null) {
            CURRENT.remove();
        }
        return null;
    }

    /**
     * The context of the sequential task whose thread {@code self} is, when a library replaced
     * that thread's uncaught-exception handler (the task's own marker): found once among the
     * runtime's live tasks, then kept in the thread-local. Null if {@code self} runs no task (a
     * plain virtual thread started inside a task: it pays this search once, then adopts the
     * runtime).
     */
    private static ExecutionContext replacedHandler(AbstractRuntime rt, Thread self) {
        if (RuntimeInternals.liveTaskOn(rt, self) instanceof SeqTask<?> seq) {
            ExecutionContext own = new ExecutionContext(rt, self, seq);
            CURRENT.set(own);
            return own;
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
        AbstractRuntime rt = currentRuntimeOrNull();
        if (rt == null) {
            throw new IllegalStateException(String.format(NO_RUNTIME, Thread.currentThread()));
        }
        return rt;
    }

    /** Backs {@link dev.weft.Runtime#find()}. */
    public static AbstractRuntime currentRuntimeOrNull() {
        Thread self = Thread.currentThread();
        SeqTask<?> seq = ownTask(self);
        if (seq != null) {
            return seq.runtime;
        }
        ExecutionContext c = currentOrNull(self);
        return c == null ? null : c.runtime;
    }

    /** The task running on the calling thread, or null. */
    public static TaskCore<?> currentTaskOrNull() {
        Thread self = Thread.currentThread();
        SeqTask<?> seq = ownTask(self);
        if (seq != null) {
            return seq;
        }
        ExecutionContext c = currentOrNull(self);
        return c == null ? null : c.task;
    }
}

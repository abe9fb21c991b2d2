package dev.weft.internal;

import dev.weft.CancelledException;
import dev.weft.Task;
import dev.weft.Waker;
import dev.weft.spi.AbstractRuntime;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * A sequential task: a body run by a virtual thread whose carrier is the task's runtime. The
 * task is its own {@link Waker}: waking unparks the thread, which the JDK hands back to the
 * runtime's scheduler.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li><b>Cancellation</b> sets {@code cancelRequested} and interrupts the thread. The interrupt
 *       only unparks it: {@link Await} sees the flag and throws {@link CancelledException}, so
 *       {@code finally} blocks run. The flag, not the interrupt status, is the truth.</li>
 *   <li><b>Shielding.</b> {@link #shieldDepth} is changed, and the decision to interrupt taken,
 *       under this task's spin lock ({@code cancelLock}); the interrupt itself is sent after the
 *       lock is released (it may run the thread's blocker, code a spin lock must not wait for),
 *       with {@link #interrupting} set meanwhile. A shield is entered only when no interrupt is in
 *       flight, and clears any that arrived before: once inside, no cancelling interrupt can
 *       arrive until it is left. Leaving the outermost shield of a cancelled task re-asserts the
 *       interrupt (outside the lock too).</li>
 *   <li><b>Finding the task.</b> Its thread's {@link Thread.UncaughtExceptionHandler} is the task
 *       (one field read, see {@link ExecutionContext}); the body also runs inside a
 *       {@link ScopedValue} binding of the task, the fallback when a library replaced the
 *       handler.</li>
 *   <li>{@link #thread} is written before the thread starts and read by cancel (volatile); a cancel
 *       that runs before it is set is seen by the body's first check of the flag.</li>
 * </ul>
 */
public final class SeqTask<T> extends TaskCore<T> implements Waker, Runnable, Thread.UncaughtExceptionHandler {
    /** A {@link Callable} or a {@link dev.weft.Action}: run as it is, with no adapter around it. */
    private final Object body;
    private volatile Thread thread;
    private volatile int shieldDepth;
    /** True while a cancel delivers its interrupt outside the lock (guarded by the lock). */
    private boolean interrupting;
    /**
     * Orders cancel's interrupt against shield entry and exit: a spin lock held in this int (0 or 1)
     * rather than a separate {@link SpinLock} object, to save an allocation per task; the same
     * rules apply (see SpinLock for why no monitor).
     */
    @SuppressWarnings("unused") // through CANCEL_LOCK
    private volatile int cancelLock;
    private static final java.lang.invoke.VarHandle CANCEL_LOCK;

    static {
        try {
            CANCEL_LOCK = java.lang.invoke.MethodHandles.lookup().findVarHandle(SeqTask.class, "cancelLock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private void lock() {
        while (!CANCEL_LOCK.compareAndSet(this, 0, 1)) {
            Thread.onSpinWait();
            if (Thread.currentThread().isVirtual()) {
                Thread.yield();
            }
        }
    }

    private void unlock() {
        CANCEL_LOCK.setRelease(this, 0);
    }

    /**
     * Run by the task's own thread when its body returns or throws, before the task completes
     * (see {@link #addExitHook}). Touched by that thread only: no ordering needed.
     */
    private java.util.ArrayList<Runnable> exitHooks;

    /**
     * Called from the task's own thread: {@code hook} runs on it when the body ends (returns,
     * throws, or is cancelled), before the task's outcome is published, unless removed first. A
     * hook that throws is reported ({@link dev.weft.spi.Faults}); the others still run.
     */
    void addExitHook(Runnable hook) {
        if (exitHooks == null) {
            exitHooks = new java.util.ArrayList<>(2);
        }
        exitHooks.add(hook);
    }

    /** Called from the task's own thread: {@code hook} no longer runs at exit. */
    void removeExitHook(Runnable hook) {
        if (exitHooks != null) {
            exitHooks.remove(hook);
        }
    }

    private void runExitHooks() {
        java.util.ArrayList<Runnable> hooks = exitHooks;
        while (hooks != null && !hooks.isEmpty()) {
            Runnable hook = hooks.removeLast();
            try {
                hook.run();
            } catch (Throwable t) {
                dev.weft.spi.Faults.report("task '" + name() + "' (a cleanup at the end of its body)", hook, t);
            }
        }
    }

    /** {@code body} is a {@link Callable} of {@code T}, or a {@link dev.weft.Action} (then {@code T} is Void). */
    /** The runtime's carrier gate, or null: see {@link dev.weft.spi.CarrierGate}. */
    private final dev.weft.spi.CarrierGate gate;

    public SeqTask(AbstractRuntime runtime, String name, ScopeState scope, Object body) {
        this.gate = RuntimeInternals.carrierGate(runtime);
        super(runtime, name, scope);
        this.body = body;
    }

    @Override
    public Task.Kind kind() {
        return Task.Kind.SEQUENTIAL;
    }

    @Override
    public void start() {
        Thread t = runtime.virtualThreadFactory().newThread(this);
        if (t == null) {
            throw new IllegalStateException("runtime '" + runtime.name() + "' refused to create a virtual thread");
        }
        thread = t;   // volatile: cancel() reads it after setting cancelRequested (Dekker with run())
        t.setUncaughtExceptionHandler(this);   // also how ExecutionContext finds this task from its thread
        t.start();
    }

    /**
     * The body, run by the task's own virtual thread. Not for callers: use {@link #start()}. No
     * wrapper frames around the body (each would stay on every parked task's stack).
     */
    @Override
    @SuppressWarnings("unchecked")
    public void run() {
        if (gate != null) {
            gate.hold();    // released at the end, and around each wait in Weft (Await)
        }
        ExecutionContext.enterSequential(runtime, this);
        if (propagated != null) {
            Propagation.install(propagated);       // its own thread: nothing to undo
        }
        enter(S_RUNNING);
        polls++;
        if (cancelRequested) {
            completeCancelled();
            releaseCarrier();
            return;
        }
        T result;
        try {
            if (body instanceof Callable<?> c) {
                result = (T) c.call();
            } else {
                ((dev.weft.Action) body).run();
                result = null;
            }
        } catch (Throwable t) {
            runExitHooks();
            if (cancelRequested && (t instanceof CancellationException || t instanceof InterruptedException)) {
                completeCancelled();
            } else {
                completeFailed(t);
            }
            releaseCarrier();
            return;
        }
        runExitHooks();
        complete(result);
        releaseCarrier();
    }

    /** Around a park or a yield of this task's thread in Weft: lets the carrier go meanwhile, if the runtime holds it. */
    void releaseCarrier() {
        if (gate != null) {
            gate.release();
        }
    }

    /** Yields this task's virtual thread, letting its carrier go meanwhile also where the runtime holds it. */
    void yieldHere() {
        releaseCarrier();
        Thread.yield();
        holdCarrier();
    }

    /** After {@link #releaseCarrier}. */
    void holdCarrier() {
        if (gate != null) {
            gate.hold();
        }
    }


    /** The thread running the body (null before start). */
    @Override
    public Thread thread() {
        return thread;
    }

    @Override
    public void wake() {
        wakes++;
        lastWake = CoarseClock.now();
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public void cancel() {
        if (isDone() || cancelRequested) {
            return;
        }
        Thread t;
        boolean interrupt;
        lock();
        try {
            if (cancelRequested) {
                return;
            }
            cancelRequested = true;
            t = thread;
            interrupt = t != null && shieldDepth == 0;
            interrupting = interrupt;
        } finally {
            unlock();
        }
        if (interrupt) {
            // Outside the spin lock: Thread.interrupt runs the thread's blocker (an interruptible
            // channel's close, say), which is code a spin lock must never wait for. A shield
            // entered meanwhile waits for this interrupt to land, then clears it (enterShield).
            try {
                t.interrupt();
            } finally {
                lock();
                interrupting = false;
                unlock();
            }
        }
    }

    /** The body as given at spawn (for dumps, when the task has not started). */
    Object body() {
        return body;
    }

    boolean shielded() {
        return shieldDepth > 0;     // read by this task's own thread, the only writer
    }

    void enterShield() {
        lock();
        while (interrupting) {
            unlock();               // a cancel is delivering its interrupt: let it land, then clear it below
            Thread.yield();
            lock();
        }
        try {
            shieldDepth++;
        } finally {
            unlock();
        }
        if (Thread.interrupted() && !cancelRequested) {
            interruptedOutsideShield = true;   // an interrupt from outside Weft: keep it for after the shield
        }
    }

    private boolean interruptedOutsideShield;

    void exitShield() {
        boolean reassert;
        lock();
        try {
            shieldDepth--;
            reassert = shieldDepth == 0 && (cancelRequested || interruptedOutsideShield);
            if (reassert) {
                interruptedOutsideShield = false;
            }
        } finally {
            unlock();
        }
        if (reassert) {
            Thread.currentThread().interrupt();     // outside the lock: it may run the thread's blocker
        }
    }

    void markIdle() {
        enter(S_IDLE);
    }

    void markRunning() {
        enter(S_RUNNING);
        polls++;
        TaskBudget.refill(this);
    }

    /** Runs only if something escapes the body's own handling (it catches every Throwable). */
    @Override
    public void uncaughtException(Thread t, Throwable e) {
        dev.weft.spi.Faults.report("sequential task '" + name() + "' (uncaught on " + t + ")", this, e);
    }

    CancelledException cancelledHere() {
        return new CancelledException("task '" + name() + "' was cancelled");
    }
}

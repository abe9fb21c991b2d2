package dev.weft.internal;

import dev.weft.CancelledException;
import dev.weft.Context;
import dev.weft.Task;
import dev.weft.Waker;
import dev.weft.spi.AbstractRuntime;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadFactory;
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
 *   <li><b>Shielding.</b> {@link #shieldDepth} is changed, and the cancelling interrupt sent,
 *       under this task's spin lock ({@code cancelLock}): once a shield is entered no cancelling interrupt can arrive
 *       until it is left, and any that arrived before is cleared on entry. Leaving the outermost
 *       shield of a cancelled task re-asserts the interrupt.</li>
 *   <li>{@link #thread} is written before the thread starts and read by cancel (volatile); a cancel
 *       that runs before it is set is seen by the body's first check of the flag.</li>
 * </ul>
 */
public final class SeqTask<T> extends TaskCore<T> implements Waker, Runnable, Thread.UncaughtExceptionHandler {
    private final Callable<? extends T> body;
    private final ThreadFactory threads;
    private Context pollContext;                  // made at the first await, by the task's own thread
    private volatile Thread thread;
    private volatile int shieldDepth;
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
    /** This task's context, made by its own thread when the body starts (read only by that thread). */
    ExecutionContext context;

    public SeqTask(AbstractRuntime runtime, String name, ScopeState scope, Callable<? extends T> body,
                   ThreadFactory threads) {
        super(runtime, name, scope);
        this.body = body;
        this.threads = threads;
    }

    @Override
    public Task.Kind kind() {
        return Task.Kind.SEQUENTIAL;
    }

    @Override
    public void start() {
        Thread t = threads.newThread(this);
        if (t == null) {
            throw new IllegalStateException("runtime '" + runtime.name() + "' refused to create a virtual thread");
        }
        thread = t;   // volatile: cancel() reads it after setting cancelRequested (Dekker with run())
        t.setUncaughtExceptionHandler(this);   // also how ExecutionContext finds this task from its thread
        t.start();
    }

    /** The body, run by the task's own virtual thread. Not for callers: use {@link #start()}. */
    @Override
    public void run() {
        context = ExecutionContext.forSequential(runtime, this);
        state = S_RUNNING;
        polls++;
        if (cancelRequested) {
            completeCancelled();
            return;
        }
        T result;
        try {
            result = body.call();
        } catch (Throwable t) {
            if (cancelRequested && (t instanceof CancellationException || t instanceof InterruptedException)) {
                completeCancelled();
            } else {
                completeFailed(t);
            }
            return;
        }
        complete(result);
    }

    /** The thread running the body (null before start). */
    @Override
    public Thread thread() {
        return thread;
    }

    Context pollContext() {
        Context cx = pollContext;
        if (cx == null) {
            cx = new Context(this);
            pollContext = cx;
        }
        return cx;
    }

    @Override
    public void wake() {
        wakes++;
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
            if (interrupt) {
                t.interrupt();      // inside the lock: a shield entered after this sees the flag and clears it
            }
        } finally {
            unlock();
        }
    }

    boolean shielded() {
        return shieldDepth > 0;     // read by this task's own thread, the only writer
    }

    void enterShield() {
        lock();
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
        lock();
        try {
            shieldDepth--;
            if (shieldDepth == 0 && (cancelRequested || interruptedOutsideShield)) {
                interruptedOutsideShield = false;
                Thread.currentThread().interrupt();
            }
        } finally {
            unlock();
        }
    }

    void markIdle() {
        state = S_IDLE;
    }

    void markRunning() {
        state = S_RUNNING;
        polls++;
        TaskBudget.refill(this);
    }

    /** Runs only if something escapes the body's own handling (it catches every Throwable). */
    @Override
    public void uncaughtException(Thread t, Throwable e) {
        System.err.println("weft: uncaught in sequential task '" + name() + "' (" + t + "): " + e);
        e.printStackTrace();
    }

    CancelledException cancelledHere() {
        return new CancelledException("task '" + name() + "' was cancelled");
    }
}

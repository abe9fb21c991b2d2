package dev.weft.ui;

import dev.weft.Cancellable;
import dev.weft.Waker;
import dev.weft.runtime.internal.CarrierHook;
import dev.weft.runtime.internal.RuntimeScheduler;
import dev.weft.runtime.internal.TimerThread;
import dev.weft.spi.AbstractRuntime;
import dev.weft.spi.Faults;
import java.awt.EventQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * A runtime whose tasks run on the Swing event dispatch thread (EDT), so UI code awaits without
 * freezing the window (seed 001: Alan's code runs on whichever runtime is current, a UI loop
 * among them). Poll tasks are polled on the EDT; sequential tasks are virtual threads that the EDT
 * carries (through the carrier hook): code in a UI task touches components directly, and
 * {@code Weft.await}, {@code join} and {@code sleep} park the task while the EDT goes on
 * dispatching events. Other runtimes spawn onto it ({@code ui.spawn(...)}), and a UI task awaits
 * their tasks.
 *
 * {@snippet :
 * SwingRuntime ui = SwingRuntime.open();
 * ui.spawn(() -> {
 *     label.setText("loading...");                       // on the EDT
 *     String body = Weft.await(fetch(url));              // the EDT keeps painting meanwhile
 *     label.setText(body);
 * });
 * }
 *
 * <p><b>Which thread is "the UI thread".</b> Inside a sequential UI task the current thread is the
 * task's virtual thread, so {@link EventQueue#isDispatchThread()} and
 * {@code SwingUtilities.isEventDispatchThread()} return <em>false</em> there, although the code
 * runs on the EDT. {@link #isUiThread()} is true in both kinds of UI task and in plain event
 * handlers. Swing code that checks {@code isDispatchThread} takes its other path there; for
 * {@code RepaintManager} that means a repaint is posted as an event rather than painted inline,
 * which a window does not show differently. Code that must see {@code isDispatchThread() == true}
 * runs in a poll task (polled by the EDT itself) or in {@code EventQueue.invokeLater}.
 *
 * <p><b>Toolkit locks: a UI task keeps the EDT until it waits in Weft.</b> AWT and Swing code
 * takes locks the EDT itself takes (the toolkit's {@code awtLock}, the tree lock). A virtual
 * thread that blocks on such a lock normally leaves its carrier; here the carrier is the EDT,
 * which may then run toolkit code of its own, queue on the same lock behind the task, and never
 * let the task run again: a deadlock measured under a real display ({@code doClick} from a UI
 * task, issue 16). So a sequential UI task <em>holds</em> the EDT from its first instruction
 * ({@link dev.weft.spi.CarrierGate}): a lock or a blocking call inside it blocks the EDT exactly
 * as in a plain event handler, and only Weft's waits ({@code Weft.await}, {@code join},
 * {@code Weft.sleep}, weft-sync and weft-io) and {@code Weft.yieldNow} let the EDT dispatch
 * other events meanwhile. A blocking call that is not Weft's (a {@code java.io} read, a
 * {@code Future.get}) therefore freezes the window as it would in any Swing code: await instead.
 *
 * <p><b>Modal dialogs.</b> A modal dialog's {@code setVisible(true)} (and {@code JOptionPane})
 * pumps events only when called on the EDT's own thread; from a sequential UI task it would wait
 * for the EDT it holds. Show it through {@link #onEventThread}, which runs the call on the EDT
 * itself while the task waits: {@code int answer = Weft.await(SwingRuntime.onEventThread(() ->
 * JOptionPane.showConfirmDialog(frame, "Delete?")));}
 *
 * <p><b>Monitors.</b> A sequential UI task that parks while it holds a monitor (Swing's tree
 * lock, a model's {@code synchronized}) keeps it while unmounted, and it can only resume on the
 * EDT: an event handler that then takes that monitor blocks the EDT for good (decision 12's
 * deadlock, with one carrier). Do not await while holding a monitor in a UI task. The runtime
 * watches for it: when the EDT stays blocked on a monitor owned by a virtual thread for two looks
 * in a row ({@value #WATCH_MILLIS} ms apart), it reports the lock through
 * {@link Faults}, once per episode, with the fix.
 *
 * <p>Timers fire from one daemon thread of this runtime (their wakes queue the task on the EDT);
 * an I/O driver gets a thread of its own. Closing the runtime cancels its tasks and stops its
 * timer; the EDT itself belongs to AWT and is left running.
 */
public final class SwingRuntime extends AbstractRuntime {
    /** How often the EDT's state is looked at for the monitor deadlock (see the class notes). */
    static final long WATCH_MILLIS = 200;

    private final Edt edt = new Edt(this);
    /** The event dispatch thread, learnt from the first event this runtime posts (AWT replaces it after an uncaught error). */
    private volatile Thread edtThread;
    /** The lock seen at the previous look while the EDT was blocked (0: not blocked), and the one last reported. */
    private int blockedOwner;
    private int reportedOwner;
    /** The JDK-default runtime's timer (a wheel on one daemon thread; it guards the wakers it calls). */
    private final TimerThread timer;
    /** Set when {@link #shutdown} stops the timer: later timers are refused, not silently lost. */
    private volatile boolean timerStopped;
    private volatile ThreadFactory virtualThreads;

    private SwingRuntime(String name) {
        super(name);
        // A UI task keeps the EDT except while it waits in Weft (see "Toolkit locks" above).
        CarrierHook.pinningGate().ifPresent(this::holdCarriersOutsideAwaits);
        this.timer = new TimerThread(name + "-timer");
        EventQueue.invokeLater(() -> edtThread = Thread.currentThread());     // before any task of this runtime runs there
        armWatch();
    }

    /**
     * A future that runs {@code call} on the event dispatch thread itself (in an
     * {@code EventQueue.invokeLater} event, where {@code EventQueue.isDispatchThread()} is true)
     * and completes with its result, or fails with what it threw (a checked exception wrapped in a
     * {@code CompletionException}). For Swing calls that must run
     * on the EDT's own thread, from a sequential UI task or from anywhere: a modal dialog, which
     * pumps events while it is shown. The call starts at the future's first poll; cancelling the
     * future before the call ran skips it, and once it runs it runs to its end.
     */
    public static <T> dev.weft.Future<T> onEventThread(java.util.concurrent.Callable<? extends T> call) {
        java.util.Objects.requireNonNull(call, "call");
        return new dev.weft.Future<>() {
            private dev.weft.Future<T> posted;    // Future.fromStage of the event's CompletableFuture

            @Override
            public dev.weft.Poll<T> poll(dev.weft.Context cx) {
                if (posted == null) {
                    // A CompletableFuture cancelled (by drop) before its event runs skips the call.
                    posted = dev.weft.Future.fromStage(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            return call.call();
                        } catch (RuntimeException | Error e) {
                            throw e;
                        } catch (Exception e) {
                            throw new java.util.concurrent.CompletionException(e);
                        }
                    }, EventQueue::invokeLater));
                }
                return posted.poll(cx);
            }

            @Override
            public void drop() {
                if (posted != null) {
                    posted.drop();
                }
            }

            @Override
            public String toString() {
                return "onEventThread(" + (posted == null ? "not posted" : posted) + ")";
            }
        };
    }

    /** The next look at the EDT, {@value #WATCH_MILLIS} ms from now, on the timer's thread; re-armed until shutdown. */
    private void armWatch() {
        timer.schedule(System.nanoTime() + WATCH_MILLIS * 1_000_000L, () -> {
            watchEdt();
            if (!timerStopped) {
                armWatch();
            }
        });
    }

    /**
     * One look at the EDT (timer thread): blocked on a monitor owned by a virtual thread, twice in
     * a row with the same owner, is reported once. Guarded: a look that fails is reported, and the
     * timer goes on.
     */
    private void watchEdt() {
        try {
            Thread t = edtThread;
            if (t == null || !t.isAlive()) {
                EventQueue.invokeLater(() -> edtThread = Thread.currentThread());
                return;
            }
            int owner = 0;
            String lock = null;
            if (t.getState() == Thread.State.BLOCKED) {
                java.lang.management.ThreadInfo info = java.lang.management.ManagementFactory.getThreadMXBean()
                        .getThreadInfo(t.threadId());
                // The JDK names no owner (-1), nor the lock, for a monitor a virtual thread holds;
                // a platform owner would be named, and is not this deadlock.
                if (info != null && (info.getLockOwnerId() <= 0
                        || java.lang.management.ManagementFactory.getThreadMXBean().getThreadInfo(info.getLockOwnerId()) == null)) {
                    StackTraceElement[] stack = t.getStackTrace();
                    String where = stack.length == 0 ? "an unknown frame" : stack[0].toString();
                    lock = info.getLockName() != null ? info.getLockName() + " at " + where : "a monitor at " + where;
                    owner = lock.hashCode() | 1;      // this episode, never 0
                }
            }
            Thread.State edtState = t.getState();
            if (owner == 0 && (edtState == Thread.State.WAITING || edtState == Thread.State.TIMED_WAITING)) {
                // The EDT waits inside a UI task it carries (a task holds the EDT outside Weft's
                // waits): a wait that needs the EDT (Window.dispose, a modal dialog,
                // invokeAndWait) never ends; a sleep or a java.io read freezes the window meanwhile.
                Thread task = mountedTaskOn(t);
                if (task != null) {
                    StackTraceElement[] stack = task.getStackTrace();
                    lock = describeWait(stack);
                    owner = (task.threadId() + "@" + lock).hashCode() | 1;
                }
            }
            if (owner != 0 && owner == blockedOwner && owner != reportedOwner && lock != null && lock.startsWith("in UI task")) {
                reportedOwner = owner;
                Faults.report("runtime '" + name() + "' (event dispatch thread watch)", t, new IllegalStateException(
                        "the Swing event dispatch thread has waited " + 2 * WATCH_MILLIS + " ms or more " + lock + ". A "
                        + "sequential UI task holds the event dispatch thread outside Weft's waits, so a call that waits "
                        + "for the event dispatch thread (Window.dispose, a modal dialog's setVisible, "
                        + "EventQueue.invokeAndWait) waits for itself: a deadlock; and a blocking call (Thread.sleep, "
                        + "java.io, Future.get) freezes the window while it lasts. Fix: run such a Swing call through "
                        + "SwingRuntime.onEventThread(...) and await it; replace a blocking call by a Weft wait "
                        + "(Weft.sleep, weft-io, Weft.spawnBlocking(...).join())."));
            } else if (owner != 0 && owner == blockedOwner && owner != reportedOwner) {
                reportedOwner = owner;
                Faults.report("runtime '" + name() + "' (event dispatch thread watch)", t, new IllegalStateException(
                        "the Swing event dispatch thread is blocked on " + lock + ", held by a virtual thread (the JDK "
                        + "names no platform owner), for " + 2 * WATCH_MILLIS + " ms or more. If that is a sequential task "
                        + "of this runtime that awaited (join, sleep, Weft.await) while holding the monitor, it can only resume on the blocked event dispatch thread: a deadlock. "
                        + "Fix: do not await inside a synchronized block (or while holding Swing's tree lock) in a UI "
                        + "task; release the monitor first, or do that work in a poll task."));
            }
            if (owner == 0) {
                reportedOwner = 0;
            }
            blockedOwner = owner;
        } catch (Throwable e) {
            Faults.report("runtime '" + name() + "' (event dispatch thread watch)", this, e);
        }
    }

    /** The virtual thread of this runtime's task mounted on {@code edt} now, or null. */
    private Thread mountedTaskOn(Thread edt) {
        for (dev.weft.Task<?> task : liveTasks()) {
            Thread th = task instanceof dev.weft.internal.SeqTask<?> seq ? seq.thread() : null;
            if (th != null && CarrierHook.carrierOf(th).orElse(null) == edt) {
                return th;
            }
        }
        return null;
    }

    /** "in UI task …, at <the first frame outside the JDK's parking code>". */
    private static String describeWait(StackTraceElement[] stack) {
        StackTraceElement at = null;
        StackTraceElement caller = null;
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            if (c.startsWith("java.lang.VirtualThread") || c.startsWith("java.lang.System$") || c.startsWith("jdk.internal.")
                    || c.equals("java.lang.Object") || c.startsWith("java.util.concurrent.locks.") || c.equals("java.lang.Thread")) {
                continue;
            }
            if (at == null) {
                at = f;
            } else if (!c.startsWith("java.") && !c.startsWith("javax.") && !c.startsWith("sun.") && !c.startsWith("dev.weft.")) {
                caller = f;
                break;
            }
        }
        return "in UI task code, at " + (at == null ? "an unknown frame" : at) + (caller == null ? "" : ", called from " + caller);
    }

    /** A runtime named "swing" on the event dispatch thread. */
    public static SwingRuntime open() {
        return open("swing");
    }

    /** A runtime named {@code name} on the event dispatch thread. */
    public static SwingRuntime open(String name) {
        return new SwingRuntime(name);
    }

    /**
     * True on the event dispatch thread: in an event handler, in a poll task of a
     * {@code SwingRuntime}, and in a sequential task the EDT carries (where
     * {@link EventQueue#isDispatchThread()} says false; see the class notes).
     */
    public static boolean isUiThread() {
        if (EventQueue.isDispatchThread()) {
            return true;
        }
        Thread carrier = Thread.currentThread().isVirtual() ? CarrierHook.currentCarrier() : null;
        return carrier != null && carrier.getClass().getName().equals("java.awt.EventDispatchThread");
    }

    @Override
    public Executor pollExecutor() {
        return edt;
    }

    @Override
    public ThreadFactory virtualThreadFactory() {
        ThreadFactory f = virtualThreads;
        if (f == null) {
            f = CarrierHook.virtualThreadFactory(edt, name());     // a race makes two, keeps one
            virtualThreads = f;
        }
        return f;
    }

    @Override
    public boolean carries(Thread virtualThread) {
        return CarrierHook.isCarriedBy(virtualThread, edt);
    }

    /** Its virtual threads are recognised by their scheduler (the EDT executor): no thread-local per task. */
    @Override
    public boolean inheritsContext() {
        return false;
    }

    @Override
    public Cancellable scheduleWake(long deadlineNanos, Waker waker) {
        if (timerStopped) {
            throw new IllegalStateException("runtime '" + name() + "' is closed: its timer fires no more. "
                    + "Wait on a runtime that is still open.");
        }
        return timer.schedule(deadlineNanos, waker);
    }

    @Override
    protected void shutdown(long deadlineNanos) {
        timerStopped = true;
        timer.stop();
    }

    @Override
    public String describe() {
        return "Swing event dispatch thread";
    }

    /** Runs what it is given on the EDT, after the events already queued ({@code invokeLater}). */
    private record Edt(SwingRuntime runtime) implements RuntimeScheduler {
        @Override
        public void execute(Runnable r) {
            EventQueue.invokeLater(r);
        }
    }
}

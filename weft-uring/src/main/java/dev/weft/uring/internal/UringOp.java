package dev.weft.uring.internal;

import dev.weft.CancelledException;
import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;
import dev.weft.Weft;
import java.util.function.IntConsumer;

/**
 * One io_uring operation: its SQE fields, the memory the kernel uses for it, and its result. As a
 * {@link Future} it completes with the CQE's {@code res} (a count, a descriptor, or
 * {@code -errno}); dropping it before then asks the kernel to cancel it
 * ({@code IORING_OP_ASYNC_CANCEL}).
 *
 * <p><b>Ownership.</b> The memory the operation reads or writes belongs to it until its terminal
 * CQE, whatever a cancel returns: the kernel may still be using it after the cancel is sent
 * ({@code -EALREADY}: it has started). Its owner frees it only then ({@link Native}). {@link #awaitIn} is how sequential code waits: a task
 * cancelled while it waits sends the cancel, then waits (shielded) for that terminal CQE and hands
 * its result to the caller (bytes that landed, a descriptor to close) before it throws.
 *
 * <h2>Implementation notes</h2>
 * The SQE fields are final. {@link #slot}, {@link #userData} and {@link #cancelSent} are written by
 * the driver under its lock. {@link #res} is written before {@link #done} (volatile) by the thread
 * that reaps the CQE; a poll that sees {@code done} sees {@code res}. A waker stored after the
 * poll's first look is seen by the reaper or the poll's second look sees {@code done}
 * (store-load on two volatiles, the usual Dekker pair).
 */
final class UringOp implements Future<Integer> {
    final UringDriver driver;
    final int opcode;
    final int fd;
    final long addr;
    final int len;
    final long offset;
    final int opFlags;
    /** What the operation does ("read", "recv"), and what on: a path or an address, or null for this op's fd; see {@link #what()}. */
    private final String verb;
    private final Object about;

    /** The registered buffer a {@code READ_FIXED}/{@code WRITE_FIXED} uses; set before submit. */
    int bufIndex;
    /** The SQE's {@code ioprio} field: operation flags such as {@code IORING_ACCEPT_MULTISHOT}; set before submit. */
    int ioprio;
    /** A multishot operation's results before its terminal CQE, delivered by {@link #fire} (lock-free: reapers add, one fire drains). */
    private java.util.concurrent.ConcurrentLinkedQueue<Integer> more;
    private java.util.function.IntConsumer onEach;

    int slot = -1;
    long userData;
    boolean cancelSent;
    volatile boolean abandoned;
    private int res;
    private volatile boolean done;
    private volatile Waker waker;
    /** Run with the result on the reaping thread, after the driver's lock is released; set before submit. */
    private java.util.function.IntConsumer onComplete;

    /**
     * An operation; {@code verb} and {@code about} describe it in dumps and errors ({@link #what()}),
     * formatted only then: the hot paths build no string per operation.
     */
    UringOp(UringDriver driver, int opcode, int fd, long addr, int len, long offset, int opFlags, String verb, Object about) {
        this.driver = driver;
        this.opcode = opcode;
        this.fd = fd;
        this.addr = addr;
        this.len = len;
        this.offset = offset;
        this.opFlags = opFlags;
        this.verb = verb;
        this.about = about;
    }

    /** What the operation does, for dumps and errors: "read /data/f @4096", "recv fd 7". */
    String what() {
        String on = about == null ? verb + " fd " + fd : verb + " " + about;
        boolean positioned = opcode == Opcode.READ || opcode == Opcode.WRITE || opcode == Opcode.READ_FIXED
                || opcode == Opcode.WRITE_FIXED;
        return positioned && about != null ? on + " @" + offset : on;
    }

    /**
     * A read or write of {@code len} bytes at {@code addr}, as {@code READ_FIXED}/{@code WRITE_FIXED}
     * when that memory lies in a buffer registered with the driver ({@link UringDriver#fixedIndex}),
     * else as {@code READ}/{@code WRITE}. {@code owner} is the pool identity of the memory (or null).
     */
    static UringOp readOrWrite(UringDriver driver, boolean read, int fd, Object owner, long addr, int len, long offset,
                               String verb, Object about) {
        int index = driver.fixedIndex(owner, addr, len);
        UringOp op = new UringOp(driver, index < 0 ? (read ? Opcode.READ : Opcode.WRITE)
                : (read ? Opcode.READ_FIXED : Opcode.WRITE_FIXED), fd, addr, len, offset, 0, verb, about);
        op.bufIndex = Math.max(0, index);
        return op;
    }

    /** Hands the operation to the kernel (now, or at the driver's next turn); returns this. */
    UringOp submit() {
        driver.submit(this);
        return this;
    }

    @Override
    public Poll<Integer> poll(Context cx) {
        if (done) {
            return Poll.ready(res);
        }
        waker = cx.waker();
        return done ? Poll.ready(res) : Poll.pending();
    }

    /** Cancel: the kernel is asked to stop; the memory stays held until the terminal CQE. */
    @Override
    public void drop() {
        if (!done) {
            abandoned = true;
            driver.cancel(this);
        }
    }

    boolean isDone() {
        return done;
    }

    /** Sets what runs when the terminal CQE arrives (before the waker is woken); before {@link #submit}. Returns this. */
    UringOp onComplete(java.util.function.IntConsumer callback) {
        this.onComplete = callback;
        return this;
    }

    /**
     * Makes this a multishot operation: {@code callback} gets the result of every CQE that has
     * {@code IORING_CQE_F_MORE} (on the reaping thread, after the driver's lock is released, in
     * order per reaper); the terminal CQE still goes to {@link #onComplete}. Before {@link #submit}.
     */
    UringOp onEach(java.util.function.IntConsumer callback) {
        this.onEach = callback;
        this.more = new java.util.concurrent.ConcurrentLinkedQueue<>();
        return this;
    }

    /** Called by the reaping thread, under the driver's lock, for a CQE with {@code F_MORE}; false if not multishot. */
    boolean addMore(int result) {
        if (more == null) {
            return false;
        }
        if (moreSeen++ == 0) {
            firstMore = result;
        }
        more.add(result);
        return true;
    }

    /** CQEs with F_MORE seen so far, and the first one's result; written and read under the driver's lock (or after the terminal CQE). */
    private int moreSeen;
    private int firstMore;

    /** The first non-terminal CQE's result (a {@code SEND_ZC}'s count: its terminal CQE is the notification), or {@code otherwise}. */
    int firstMoreOr(int otherwise) {
        return moreSeen > 0 ? firstMore : otherwise;
    }

    /** Called by the reaping thread, under the driver's lock, with the terminal CQE's result. */
    void complete(int result) {
        res = result;
        done = true;
    }

    /** After {@link #complete}, outside the driver's lock: the callback, then the waker. Each guarded. */
    void fire() {
        if (more != null) {
            for (Integer r; (r = more.poll()) != null; ) {
                try {
                    onEach.accept(r);
                } catch (Throwable t) {
                    dev.weft.spi.Faults.report("io_uring " + what() + " (a completion)", onEach, t);
                }
            }
        }
        if (!done) {
            return;         // only results of a multishot operation that goes on
        }
        // Claimed atomically: with a multishot operation two reapers may both fire it (one for a
        // last result, one for the terminal CQE) and both see it done; the callback runs once.
        java.util.function.IntConsumer callback = (java.util.function.IntConsumer) ON_COMPLETE.getAndSet(this, null);
        if (callback != null) {
            try {
                callback.accept(res);
            } catch (Throwable t) {
                dev.weft.spi.Faults.report("io_uring " + what() + " (its completion)", callback, t);
            }
        }
        Waker w = (Waker) WAKER.getAndSet(this, null);
        if (w != null) {
            UringSockets.wake(w, this);
        }
    }

    private static final java.lang.invoke.VarHandle ON_COMPLETE;
    private static final java.lang.invoke.VarHandle WAKER;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.lookup();
            ON_COMPLETE = l.findVarHandle(UringOp.class, "onComplete", java.util.function.IntConsumer.class);
            WAKER = l.findVarHandle(UringOp.class, "waker", Waker.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@link #submit}; if the driver has closed, completes with {@code -ECANCELED} instead (callback and waker run here). */
    void submitOrFail() {
        try {
            submit();
        } catch (IllegalStateException driverClosed) {
            complete(-Errno.ECANCELED);
            fire();
        }
    }

    /** The result; valid once {@link #isDone()}. */
    int result() {
        return res;
    }

    /** A view that waits for the terminal CQE and does not cancel when dropped. */
    Future<Integer> terminal() {
        return new Future<>() {
            @Override
            public Poll<Integer> poll(Context cx) {
                return UringOp.this.poll(cx);
            }

            @Override
            public String toString() {
                return "terminal(" + UringOp.this + ")";
            }
        };
    }

    /**
     * Submits and waits in the calling sequential task: the result ({@code -errno} on failure).
     * Cancelled while waiting, it waits (shielded) for the terminal CQE, gives its result to
     * {@code onCancelled} (bytes that landed, a descriptor to close), then throws
     * {@link CancelledException}.
     */
    int awaitIn(IntConsumer onCancelled) {
        // An operation that completes inside its submit (a page-cache read) never parks the task:
        // spend its budget, so a loop of them still lets the other tasks on its worker run. One
        // unit per operation and one more per 64 KiB it moves (a 1 MiB read is a lot of copying:
        // 128 of them between two yields held a current-thread runtime for over 100 ms).
        for (int units = 1 + Math.max(0, len) / 65_536; units > 0; units--) {
            dev.weft.spi.Coop.proceedBlocking();
        }
        submit();
        try {
            return Weft.await(this);
        } catch (CancelledException cancelled) {
            int landed = Weft.shielded(() -> Weft.await(terminal()));
            onCancelled.accept(landed);
            throw cancelled;
        }
    }

    @Override
    public String toString() {
        return "io_uring " + what() + (done ? " = " + res : cancelSent ? " (cancelling)" : "");
    }
}

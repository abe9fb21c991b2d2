package dev.weft;

import java.util.Optional;

/**
 * The handle of a spawned task. It is itself a {@link Future} of the task's result, so a poll
 * future can await it, and {@link #join()} waits for it from sequential code.
 *
 * {@snippet class="dev.weft.snippets.TaskSnippets" region="spawnJoin"}
 *
 * <p><b>Kinds.</b> A {@linkplain Kind#SEQUENTIAL sequential} task runs blocking-style Java in a
 * virtual thread carried by its runtime; a {@linkplain Kind#POLL poll} task is a {@link Future}
 * the runtime polls. Both are named, counted, cancelled and joined the same way.
 *
 * <p><b>Results.</b> Joining (or polling) a task that returned gives its value; one whose body
 * threw throws {@link TaskFailedException} with the body's exception as cause; one that was
 * cancelled throws {@link CancelledException}. Inside a failed {@link TaskScope}, joining any
 * child that did not succeed throws the scope's failure.
 *
 * <p><b>Waiting is not owning.</b> Several pollers may await one task, and stopping waiting
 * never aborts it: when a task blocked in {@code other.join()} or {@code Weft.await(other)} is
 * cancelled, when a task loses a {@link Future#select select} or {@link Future#race race}, or
 * when a join holding it is dropped, {@code other} runs on; {@link #drop()} only withdraws that
 * wait. Only {@link #cancel()} aborts a task, and it is for the task's owner: the code that
 * spawned it, its {@link TaskScope} (which cancels its children on exit), {@link Weft#timeout}
 * (its own child task) or a {@link Weft#async} future (which started its task, so dropping that
 * future cancels the task). This is tokio's rule (dropping a {@code JoinHandle} detaches,
 * {@code abort()} aborts) and {@code CompletableFuture}'s (cancelling a dependent does not
 * cancel its source).
 *
 * @param <T> the type of the result
 */
public interface Task<T> extends Future<T> {

    /** How a task runs. */
    enum Kind {
        /** A {@link Future} polled by the runtime's workers. */
        POLL,
        /** Blocking-style code in a virtual thread carried by the runtime. */
        SEQUENTIAL,
        /** A blocking call on the runtime's pool of platform threads ({@link Runtime#spawnBlocking}). */
        BLOCKING
    }

    /** Where a task is in its life, for diagnostics. */
    enum State {
        /** Waiting to be run by a worker. */
        SCHEDULED,
        /** Being polled, or its virtual thread is mounted. */
        RUNNING,
        /** Waiting for a wake (pending, or parked in an await). */
        IDLE,
        /** Finished: returned, failed or cancelled. */
        DONE
    }

    /** A number unique in this process, in spawn order. */
    long id();

    /** The name given at spawn, or {@code "task-<id>"}. */
    String name();

    /** Whether the task is a poll task or a sequential task. */
    Kind kind();

    /** Where the task is now (a snapshot; it may change at once). */
    State state();

    /** The runtime that runs this task. */
    Runtime runtime();

    /**
     * The first stack frame outside Weft that spawned this task. Captured only while spawn sites
     * are on ({@code -Dweft.spawnSites=true}), because walking the stack costs microseconds and
     * spawning must stay cheap.
     */
    Optional<StackTraceElement> spawnSite();

    /** How many times the task was polled (poll task) or resumed after an await (sequential). */
    long polls();

    /** How many times the task's waker was woken. Approximate under concurrent wakes. */
    long wakes();

    /**
     * Aborts the task: requests cancellation and returns at once; {@link #join()} waits for the
     * task to finish.
     * A sequential task's pending and next awaits throw {@link CancelledException}, so its
     * {@code finally} blocks run; a poll task is not polled again and its future's
     * {@link Future#drop()} cleanup runs on its runtime. Cancelling a finished task does nothing.
     * Not called by combinators: they {@link #drop()} a task, which only stops waiting for it.
     */
    void cancel();

    /**
     * Stops waiting for this task (the {@link Future#drop()} hook): the task runs on. Called by
     * combinators and by a cancelled waiter; {@link #cancel()} is the call that aborts.
     */
    @Override
    default void drop() { }

    /** True once cancellation was requested. */
    boolean isCancelled();

    /** True once the task has finished, whichever way. */
    boolean isDone();

    /**
     * Waits for the task and returns its result. Inside a sequential task it parks the virtual
     * thread; on a plain thread it blocks.
     *
     * @throws TaskFailedException if the body threw (the cause is its exception)
     * @throws CancelledException if the task was cancelled, or if the waiting task is cancelled
     */
    T join();

    /**
     * A {@link java.util.concurrent.CompletableFuture} completed with this task's outcome: its
     * value, the body's own exception (not wrapped), or a {@code CancellationException} if it was
     * cancelled. Cancelling the {@code CompletableFuture} cancels the task. For handing a task to
     * code written against the JDK's {@code CompletionStage}. Each call makes a new one.
     */
    default java.util.concurrent.CompletableFuture<T> toCompletableFuture() {
        return dev.weft.internal.TaskStage.of(this);
    }

    /** {@link #toCompletableFuture()}: a task needs no spawning. */
    @Override
    default java.util.concurrent.CompletionStage<T> toStage() {
        return toCompletableFuture();
    }
}

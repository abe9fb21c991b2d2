package dev.weft;

import dev.weft.internal.ExecutionContext;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * An executor of tasks: the plug-in behind {@link Weft}. Weft's own calls ({@link Weft#spawn},
 * {@link Weft#sleep}, the I/O types) act on the <em>current</em> runtime, the one running the
 * calling task, so the same code runs on any runtime.
 *
 * {@snippet class="dev.weft.snippets.RuntimeSnippets" region="twoRuntimes"}
 *
 * <p>Runtimes are built by {@code dev.weft.runtime.Runtimes} (module {@code weft-runtime}):
 * current-thread, JDK-default, and later others. Several live in one process; a task on one may
 * spawn onto another and await the result. A runtime's special powers are reached on purpose
 * through {@link #extension(Class)}. New runtimes extend {@link dev.weft.spi.AbstractRuntime}.
 *
 * <p>{@link #close()} cancels the tasks still running, lets their cleanup run, and stops the
 * runtime's threads; spawning on a closed runtime throws {@link IllegalStateException}.
 */
public interface Runtime extends AutoCloseable {

    /**
     * The runtime running the calling code: the runtime of the current task, or of the virtual
     * thread's parent task for a plain virtual thread started inside a task.
     *
     * @throws IllegalStateException outside any runtime, with what to do instead
     */
    static Runtime current() {
        return ExecutionContext.currentRuntime();
    }

    /** The current runtime, or empty outside any runtime. */
    static Optional<Runtime> find() {
        return Optional.ofNullable(ExecutionContext.currentRuntimeOrNull());
    }

    /** The name given when the runtime was built. */
    String name();

    /** Spawns a sequential task: {@code body} runs in a virtual thread carried by this runtime. */
    <T> Task<T> spawn(Callable<? extends T> body);

    /** Spawns a sequential task that returns nothing. */
    Task<Void> spawn(Action body);

    /** Spawns a named sequential task. */
    <T> Task<T> spawn(String name, Callable<? extends T> body);

    /** Spawns a named sequential task that returns nothing. */
    default Task<Void> spawn(String name, Action body) {
        java.util.Objects.requireNonNull(body, "body");
        return spawn(name, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Runs a blocking call (file I/O, a JNI or FFM call that blocks, a legacy client) on this
     * runtime's pool of platform threads, so it never holds a worker. The pool grows up to its cap
     * and shrinks after its keep-alive; when every pool thread is busy, further calls wait in a
     * FIFO queue (see the runtime's builder). Cancelling the task interrupts the call. A sequential
     * task that must make a blocking call joins one: {@code spawnBlocking(() -> call()).join()}
     * ({@link Weft#spawnBlocking}).
     */
    <T> Task<T> spawnBlocking(Callable<? extends T> body);

    /** Spawns a poll task: this runtime's workers poll {@code future} until it is ready. */
    <T> Task<T> spawnFuture(Future<T> future);

    /** Spawns a named poll task. */
    <T> Task<T> spawnFuture(String name, Future<T> future);

    /**
     * Runs {@code main} as a sequential task of this runtime and waits for its result on the
     * calling thread. A current-thread runtime runs its loop on the calling thread for the
     * duration.
     *
     * <p>If the calling thread is interrupted while it waits, the task is cancelled and this
     * throws {@link CancelledException}, with the thread's interrupt status kept. A current-thread
     * runtime first drives the cancelled task through its cleanup (nothing else would), for at
     * most the close grace of 5 s; if the task then ends other than cancelled (a shielded body
     * that finished), its own result or failure is returned instead.
     */
    <T> T run(Callable<? extends T> main);

    /** {@link #run(Callable)} for a body that returns nothing. */
    void run(Action main);

    /**
     * Runs {@code future} as a poll task of this runtime and waits for its value on the calling
     * thread. An interrupt while waiting cancels the task, as for {@link #run(Callable)}.
     */
    <T> T blockOn(Future<T> future);

    /**
     * Timer service: wakes {@code waker} once {@link System#nanoTime()} reaches
     * {@code deadlineNanos} (never earlier; within the runtime's timer resolution after). Used by
     * futures such as {@link Future#sleep}; cancelling the handle removes the timer.
     */
    Cancellable scheduleWake(long deadlineNanos, Waker waker);

    /**
     * This runtime's instance of the event driver {@code type} (an I/O selector, an io_uring
     * ring), made with {@code factory} on first use and closed when the runtime shuts down. I/O
     * types call it on {@link #current()}; users rarely do. See {@link dev.weft.spi.Driver} for
     * how a runtime waits on its driver.
     *
     * @throws IllegalStateException if the runtime is closed, or cannot host drivers
     */
    <D extends dev.weft.spi.Driver> D driver(Class<D> type, java.util.function.Function<? super Runtime, ? extends D> factory);

    /**
     * A runtime-specific capability, if this runtime has it: the runtime itself when it is of
     * {@code type}, else what its drivers or an installed {@link dev.weft.spi.ExtensionProvider}
     * offer (for example {@code extension(Uring.class)} on a runtime that uses io_uring). Empty
     * otherwise, never an exception.
     */
    default <E> Optional<E> extension(Class<E> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /** True once {@link #close()} has begun. */
    boolean isClosed();

    /** Cancels the tasks still running, waits (bounded) for their cleanup, stops the runtime. */
    @Override
    void close();
}

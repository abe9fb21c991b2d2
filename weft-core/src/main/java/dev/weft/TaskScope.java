package dev.weft;

import dev.weft.internal.ExecutionContext;
import dev.weft.internal.ScopeState;
import dev.weft.internal.Spawner;
import dev.weft.spi.AbstractRuntime;
import java.util.concurrent.Callable;

/**
 * Structured concurrency: children spawned in a scope cannot outlive it.
 *
 * {@snippet class="dev.weft.snippets.TaskScopeSnippets" region="fanOut"}
 *
 * <ul>
 *   <li><b>Exit.</b> {@link #close()} (the end of the try block) cancels the children still
 *       running and waits for them, so their {@code finally} blocks have run when it returns. It
 *       waits even if the owner itself is being cancelled.</li>
 *   <li><b>Failure.</b> When a child's body throws, the scope fails: the children still running
 *       are cancelled, and the failure (a {@link TaskFailedException} whose cause is the first
 *       child's exception, with later siblings' failures suppressed on it) is thrown to the owner
 *       once: from the first {@link Task#join()} of a child that did not succeed, else from
 *       {@link #join()} or {@link #close()}.</li>
 *   <li><b>Cancellation.</b> Cancelling the owner makes its pending await throw
 *       {@link CancelledException}; leaving the try block then cancels and awaits the children.
 *       A child's own cancellation is not a failure of the scope.</li>
 * </ul>
 * Children run on the scope's runtime (the current one by default). Use a scope from the thread
 * that opened it.
 */
public final class TaskScope implements AutoCloseable {
    private final ScopeState state;

    private TaskScope(AbstractRuntime runtime) {
        this.state = new ScopeState(runtime);
    }

    /** Opens a scope whose children run on the current runtime. */
    public static TaskScope open() {
        return new TaskScope(ExecutionContext.currentRuntime());
    }

    /** Opens a scope whose children run on {@code runtime}. */
    public static TaskScope open(Runtime runtime) {
        if (!(runtime instanceof AbstractRuntime rt)) {
            throw new IllegalArgumentException("TaskScope needs a runtime built on dev.weft.spi.AbstractRuntime, got " + runtime);
        }
        return new TaskScope(rt);
    }

    /** Spawns a sequential child. */
    public <T> Task<T> spawn(Callable<? extends T> body) {
        return spawn(null, body);
    }

    /** Spawns a named sequential child. */
    public <T> Task<T> spawn(String name, Callable<? extends T> body) {
        return Spawner.sequential(runtime(), name, state, body);
    }

    /** Spawns a sequential child that returns nothing. */
    public Task<Void> spawn(Action body) {
        return Spawner.sequential(runtime(), null, state, body);
    }

    /** Spawns a named sequential child that returns nothing. */
    public Task<Void> spawn(String name, Action body) {
        return Spawner.sequential(runtime(), name, state, body);
    }

    /** Spawns a poll child. */
    public <T> Task<T> spawnFuture(Future<T> future) {
        return Spawner.poll(runtime(), null, state, future);
    }

    private AbstractRuntime runtime() {
        AbstractRuntime rt = state.runtime();
        if (rt.isClosed()) {
            throw new IllegalStateException("runtime '" + rt.name() + "' is closed: it accepts no new tasks");
        }
        return rt;
    }

    /** True once a child failed. */
    public boolean isFailed() {
        return state.isFailed();
    }

    /**
     * Waits for every child to finish.
     *
     * @throws TaskFailedException if a child failed and the failure was not thrown yet
     */
    public void join() {
        state.join();
    }

    /**
     * Cancels the children still running and waits for them to finish.
     *
     * @throws TaskFailedException if a child failed and the failure was not thrown yet
     */
    @Override
    public void close() {
        state.close();
    }
}

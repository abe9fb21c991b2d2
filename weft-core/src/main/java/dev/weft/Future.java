package dev.weft;

import dev.weft.internal.future.FlatMapFuture;
import dev.weft.internal.future.JoinAllFuture;
import dev.weft.internal.future.JoinBothFuture;
import dev.weft.internal.future.MapFuture;
import dev.weft.internal.future.RaceFuture;
import dev.weft.internal.future.SelectFuture;
import dev.weft.internal.future.SleepFuture;
import dev.weft.internal.future.TimeoutFuture;
import dev.weft.internal.stream.PollFnFuture;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A lazy computation that produces one value, driven by {@link #poll(Context)}: the poll model
 * of the seeds, in Java. Nothing happens until somebody polls; a poll does a bounded amount of
 * work and answers {@link Poll#ready ready} or {@link Poll#pending() pending}. When pending, the
 * future has arranged for {@code cx.waker()} to be woken when polling again can make progress.
 *
 * <p>A future does not know which runtime drives it: it runs on any runtime, on a plain thread
 * through {@link Weft#await}, or polled by hand. Code that needs the runtime (a timer, an I/O
 * driver) asks {@link Runtime#current()} when it is first polled.
 *
 * {@snippet class="dev.weft.snippets.FutureSnippets" region="pollByHand"}
 *
 * <p><b>Contract.</b> One poller at a time; poll is never called again after ready. A poll that
 * throws completes the future with that exception. Java has no drop, so two hooks stand in for
 * it, both idempotent, non-blocking and callable from any thread:
 * <ul>
 *   <li>{@link #drop()} is called when the future will not be polled to completion (its task was
 *       cancelled, it lost a {@link #select select} or {@link #race race}, it timed out, a
 *       sibling in a {@link #join(List) join} failed): it releases what the future holds (timers,
 *       a place in a wait queue, buffers, a child task it started itself).</li>
 *   <li>{@link #release(Object)} is called when the future <em>did</em> complete but its value
 *       is discarded unused (a {@link #join(List) join} whose sibling failed, or that was itself
 *       dropped): a future whose value is a resource gives it back.</li>
 * </ul>
 * <b>Which futures are safe to discard.</b> A future is safe to drop at any time, and its value
 * safe to discard through {@code release}, when it either holds nothing that outlives it or
 * overrides these hooks: Weft's timers, channels (a message received but discarded goes back to
 * the front of its channel), locks and semaphores (a guard or permit discarded is released) are.
 * {@link #map} and {@link #then} do not forward {@code release} (their value is the mapper's, not
 * the resource's): join resource futures first, then map the joined result.
 *
 * <p><b>Writing one.</b> {@code Future} is a functional interface, so a stateless poll function is
 * a lambda; stateful futures are small classes. Sequential code that should become a future is
 * {@link Weft#async}.
 *
 * @param <T> the type of the value
 */
@FunctionalInterface
public interface Future<T> {

    /**
     * Advances the computation.
     *
     * @param cx the context of the task doing the poll; its waker must be woken after a pending
     *           answer, when progress is possible
     * @return ready with the value, or pending
     */
    Poll<T> poll(Context cx);

    /**
     * Cleanup hook: the future's consumer drops it before it completed and will not poll it
     * again. Releases timers, wait-queue places, buffers and child tasks the future started
     * itself. Idempotent, non-blocking, callable from any thread; the default does nothing.
     * Dropping a {@link Task} only stops waiting for it: the task runs on (see {@link Task}).
     */
    default void drop() { }

    /**
     * Gives back {@code value}, which this future returned and its consumer now discards unused.
     * Called at most once per completion, by a combinator that obtained the value but will not
     * deliver it (a {@link #join(List) join} whose sibling failed or that was dropped). A future
     * whose value is a resource handed out by something shared overrides it: a lock guard or
     * semaphore permits are released, a received message goes back to be received first. The
     * default does nothing, which is right for plain values. Non-blocking, any thread.
     *
     * @param value the value this future's last poll returned
     */
    default void release(T value) { }

    /**
     * This future as a {@link java.util.concurrent.CompletionStage}, for code written against
     * the JDK's standard: it is spawned as a poll task on the current runtime, and the stage
     * completes with its outcome; cancelling the stage (when it is the returned
     * {@code CompletableFuture}) cancels the task. A {@link Task} returns its own
     * {@link Task#toCompletableFuture()} instead of spawning anything.
     *
     * @throws IllegalStateException outside a runtime
     */
    default java.util.concurrent.CompletionStage<T> toStage() {
        return Runtime.current().spawnFuture(this).toCompletableFuture();
    }

    // ---------------------------------------------------------------- constructors

    /**
     * A {@link java.util.concurrent.CompletionStage} (a {@code CompletableFuture}, an HTTP
     * client's response, a driver's async call) as a Weft future: ready with the stage's value,
     * or failing with its exception (a {@code CompletionException} unwrapped to its cause; a
     * checked cause wrapped in one; a cancelled stage as a {@code CancellationException}).
     * Dropping it before it completes (a cancelled task, the loser of a select) cancels the stage
     * if it is a {@code CompletableFuture}. Sequential code writes {@code Weft.await(stage)}.
     */
    static <T> Future<T> fromStage(java.util.concurrent.CompletionStage<? extends T> stage) {
        return new dev.weft.internal.future.StageFuture<>(Objects.requireNonNull(stage, "stage"));
    }

    /** A future that is ready with {@code value} at its first poll. */
    static <T> Future<T> ready(T value) {
        Poll<T> poll = Poll.ready(value);
        return cx -> poll;
    }

    /** A future whose first poll throws {@code failure}. */
    static <T> Future<T> failed(RuntimeException failure) {
        Objects.requireNonNull(failure, "failure");
        return cx -> {
            throw failure;
        };
    }

    /** A future that never completes: the identity of {@link #select}. */
    static <T> Future<T> never() {
        return cx -> Poll.pending();
    }

    /**
     * A future that completes {@code delay} after it is created, on the timer of the runtime that
     * first polls it. Cancelling it removes the timer.
     */
    static Future<Void> sleep(Duration delay) {
        return SleepFuture.after(delay);
    }

    /**
     * A future from a non-blocking poll function: ready with the first non-null value
     * {@code tryGet} returns. After a {@code null}, {@code trigger} decides when it is called
     * again: a {@link Backoff} (a timer on the current runtime) or a {@link WakeSignal} (the
     * source signals). Once ready, the trigger is released (timer disarmed, signal deregistered),
     * so one signal can serve a series of such futures. Cancelling releases it too. An exception
     * from {@code tryGet} is the result.
     *
     * {@snippet class="dev.weft.snippets.PollTriggerSnippets" region="future"}
     *
     * @param tryGet  the poll function: the value, or null for "not yet"; never blocks
     * @param trigger what makes the future poll again after {@code null}
     */
    static <T> Future<T> fromPoll(Supplier<? extends T> tryGet, PollTrigger trigger) {
        return new PollFnFuture<>(Stream.<T>fromPoll(tryGet, trigger));
    }

    // ---------------------------------------------------------------- combinators

    /** A future of {@code fn} applied to this future's value. */
    default <U> Future<U> map(Function<? super T, ? extends U> fn) {
        return new MapFuture<>(this, fn);
    }

    /**
     * A future that, once this one is ready, continues with the future {@code next} returns for
     * the value (what other libraries call {@code flatMap} or {@code thenCompose}).
     */
    default <U> Future<U> then(Function<? super T, ? extends Future<? extends U>> next) {
        return new FlatMapFuture<>(this, next);
    }

    /**
     * This future with a deadline: if it is not ready {@code limit} after its first poll, it is
     * {@linkplain #drop() dropped} and the result throws {@link TimedOutException}.
     */
    default Future<T> timeout(Duration limit) {
        return new TimeoutFuture<>(this, Objects.requireNonNull(limit, "limit"));
    }

    /**
     * Both futures, polled concurrently by one task. If either throws, the other is dropped (or,
     * if it had completed, its value {@linkplain #release released}) and the exception is the
     * result.
     */
    static <A, B> Future<Both<A, B>> join(Future<? extends A> first, Future<? extends B> second) {
        return new JoinBothFuture<>(first, second);
    }

    /**
     * Every future in {@code futures}, polled concurrently by one task; the values in the list's
     * order. If one throws, the unfinished others are {@linkplain #drop() dropped}, the values of
     * the finished ones {@linkplain #release released}, and the exception is the result; dropping
     * the join does the same.
     */
    static <T> Future<List<T>> join(List<? extends Future<? extends T>> futures) {
        return new JoinAllFuture<>(futures);
    }

    /** {@link #join(List)} of the arguments. */
    @SafeVarargs
    static <T> Future<List<T>> joinAll(Future<? extends T>... futures) {
        return new JoinAllFuture<>(List.of(futures));
    }

    /**
     * Whichever of two futures completes first. <b>Loser policy:</b> the futures are polled in
     * argument order on every poll (so the first is favoured when both are ready); as soon as one
     * is ready or throws, the other is {@linkplain #drop() dropped} before the result is
     * returned. A cancel-safe loser (such as a Weft channel's receive) keeps what it had not
     * delivered; a losing {@link Task} runs on (dropping a task only stops waiting for it).
     *
     * {@snippet class="dev.weft.snippets.FutureSnippets" region="select"}
     */
    static <A, B> Future<Either<A, B>> select(Future<? extends A> first, Future<? extends B> second) {
        return new SelectFuture<>(first, second);
    }

    /**
     * Whichever of {@code futures} completes first, with the same loser policy as
     * {@link #select}: polled in list order, the losers dropped before the result is returned.
     */
    static <T> Future<T> race(List<? extends Future<? extends T>> futures) {
        return new RaceFuture<>(futures);
    }

    /** {@link #race(List)} of the arguments. */
    @SafeVarargs
    static <T> Future<T> raceAll(Future<? extends T>... futures) {
        return new RaceFuture<>(List.of(futures));
    }
}

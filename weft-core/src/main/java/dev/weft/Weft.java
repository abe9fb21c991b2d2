package dev.weft;

import dev.weft.internal.AsyncFuture;
import dev.weft.internal.Await;
import dev.weft.internal.ExecutionContext;
import dev.weft.internal.Spawner;
import dev.weft.internal.StreamIteration;
import dev.weft.internal.YieldFuture;
import dev.weft.spi.RuntimeProvider;
import java.time.Duration;
import java.util.Comparator;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

/**
 * The front door: everything here acts on the {@linkplain Runtime#current() current runtime}, so
 * code written against it runs on any runtime.
 *
 * {@snippet class="dev.weft.snippets.WeftSnippets" region="main"}
 *
 * <p><b>Waiting.</b> {@link #await}, {@link #sleep}, {@link #select}, {@link Task#join()} park the
 * calling virtual thread inside a sequential task (its carrier runs other tasks meanwhile), and
 * block a plain thread. Never call them inside a {@link Future#poll poll}: they throw
 * {@link IllegalStateException} there.
 *
 * <p><b>Cancellation.</b> Inside a cancelled sequential task every waiting call here throws
 * {@link CancelledException} (the awaited future is {@linkplain Future#drop() dropped} first; an
 * awaited {@link Task} runs on, see "waiting is not owning" there); wrap cleanup that must wait
 * in {@link #shielded(Callable)}.
 */
public final class Weft {
    private Weft() { }

    // ------------------------------------------------------------------ spawning

    /** Spawns a sequential task on the current runtime: {@code body} runs in a virtual thread it carries. */
    public static <T> Task<T> spawn(Callable<? extends T> body) {
        return Runtime.current().spawn(body);
    }

    /** Spawns a sequential task that returns nothing. */
    public static Task<Void> spawn(Action body) {
        return Runtime.current().spawn(body);
    }

    /** Spawns a named sequential task (the name shows in dumps and thread names). */
    public static <T> Task<T> spawn(String name, Callable<? extends T> body) {
        return Runtime.current().spawn(name, body);
    }

    /** Spawns a named sequential task that returns nothing. */
    public static Task<Void> spawn(String name, Action body) {
        return Runtime.current().spawn(name, body);
    }

    /**
     * Runs a blocking call on the current runtime's blocking pool, off its workers
     * ({@link Runtime#spawnBlocking}).
     *
     * <p>In a sequential task, {@code Weft.spawnBlocking(() -> call()).join()} is how to make a
     * call that blocks the OS thread ({@code java.io} file or pipe reads, {@code FileChannel},
     * a process's streams, a host-name lookup, a wait with a native frame or class initialiser on
     * the stack): a Weft worker does not get a stand-in while it is blocked, as a JDK carrier
     * sometimes does, and the watchdog reports such a call as {@code BLOCKING_CALL} or
     * {@code PINNED_WAIT}. See README.md, "Blocking calls in sequential tasks".
     */
    public static <T> Task<T> spawnBlocking(Callable<? extends T> body) {
        return Runtime.current().spawnBlocking(body);
    }

    /**
     * Spawns a poll task on the current runtime. The different name from {@link #spawn} is
     * deliberate: a lambda is never ambiguous between a body and a future.
     */
    public static <T> Task<T> spawnFuture(Future<T> future) {
        return Runtime.current().spawnFuture(future);
    }

    /** Spawns a named poll task. */
    public static <T> Task<T> spawnFuture(String name, Future<T> future) {
        return Runtime.current().spawnFuture(name, future);
    }

    /**
     * Sequential code as a lazy future: when first polled it spawns {@code body} as a sequential
     * task on the polling runtime, and completes with its result; dropping the future cancels
     * the task. {@snippet class="dev.weft.snippets.StreamSnippets" region="unfold"}
     */
    public static <T> Future<T> async(Callable<? extends T> body) {
        return new AsyncFuture<>(body);
    }

    // ------------------------------------------------------------------ waiting

    /**
     * Waits for a {@link java.util.concurrent.CompletionStage} (a {@code CompletableFuture}, an
     * async client's call) as for a Weft future: the task parks, not its carrier. The stage's
     * failure is thrown unwrapped from its {@code CompletionException} (a checked one stays
     * wrapped); a cancelled wait cancels the stage if it is a {@code CompletableFuture}. See
     * {@link Future#fromStage}.
     */
    public static <T> T await(java.util.concurrent.CompletionStage<? extends T> stage) {
        return await(Future.fromStage(stage));
    }

    /**
     * Waits for {@code future} and returns its value: parks a sequential task, blocks a plain
     * thread. Works outside any runtime too (the future must not need one).
     *
     * @throws CancelledException if the waiting task is cancelled (the future is dropped first)
     */
    public static <T> T await(Future<T> future) {
        return Await.await(future);
    }

    /** Parks the calling task for {@code duration}, on the current runtime's timer. */
    public static void sleep(Duration duration) {
        Await.await(Future.sleep(duration));
    }

    /** A future ready {@code duration} after its first poll: {@link Future#sleep}. */
    public static Future<Void> sleepFuture(Duration duration) {
        return Future.sleep(duration);
    }

    /**
     * Waits for whichever of two futures completes first; the loser is dropped (see
     * {@link Future#select}). {@snippet class="dev.weft.snippets.FutureSnippets" region="select"}
     */
    public static <A, B> Either<A, B> select(Future<? extends A> first, Future<? extends B> second) {
        return Await.await(Future.select(first, second));
    }

    /**
     * Runs {@code body} as a child sequential task with a deadline. If it has not returned after
     * {@code limit}, it is cancelled, its {@code finally} blocks run, and then
     * {@link TimedOutException} is thrown here.
     *
     * @throws TaskFailedException if the body threw (the cause is its exception)
     */
    public static <T> T timeout(Duration limit, Callable<? extends T> body) {
        // Every check before the spawn: a refused call must leave no body running (issue 18, fault 8).
        java.util.Objects.requireNonNull(limit, "limit");
        java.util.Objects.requireNonNull(body, "body");
        if (limit.isNegative()) {
            throw new IllegalArgumentException("Weft.timeout needs a limit of zero or more, got " + limit);
        }
        Await.checkNotInPoll("Weft.timeout");
        Task<T> child = Runtime.current().spawn("timeout", body);
        Future<T> limited;
        try {
            limited = child.timeout(limit);
        } catch (RuntimeException | Error e) {
            child.cancel();
            throw e;
        }
        try {
            return Await.await(limited);
        } catch (TimedOutException | CancelledException e) {
            child.cancel();
            awaitDoneShielded(child);
            throw e;
        }
    }

    private static void awaitDoneShielded(Task<?> task) {
        shielded(() -> {
            while (!task.isDone()) {
                try {
                    task.join();
                } catch (RuntimeException finished) {
                    // Any outcome will do: we only wait for the task to be done.
                }
            }
        });
    }

    /**
     * Lets the runtime run other tasks before this one continues. In a sequential task it yields
     * the virtual thread; on a plain thread it is {@link Thread#yield()}.
     */
    public static void yieldNow() {
        Await.checkCancelled();
        Await.yieldThread();
    }

    /** A future that is pending once (waking itself) and then ready: a yield point for poll code. */
    public static Future<Void> yieldFuture() {
        return new YieldFuture();
    }

    /** Throws {@link CancelledException} if the calling task has been cancelled; a cheap check for long loops. */
    public static void checkCancelled() {
        Await.checkCancelled();
    }

    /**
     * Runs {@code body} with cancellation held off: awaits inside it complete normally even if the
     * task is cancelled meanwhile, so cleanup can itself wait. After the block, a pending
     * cancellation takes effect at the next await.
     */
    public static <T> T shielded(Callable<? extends T> body) {
        try {
            return Await.shielded(body::call);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new TaskFailedException("shielded block threw " + e, e);
        }
    }

    /** {@link #shielded(Callable)} for a body that returns nothing. */
    public static void shielded(Action body) {
        shielded(Spawner.callable(body));
    }

    // ------------------------------------------------------------------ streams

    /**
     * The items of {@code stream} for a loop in a sequential task: {@code hasNext()} parks until
     * the next item or the end. An exception from the stream is thrown from {@code hasNext()}. If
     * the task is cancelled while waiting, the stream is cancelled and {@link CancelledException}
     * is thrown. Iterate once.
     *
     * <p>A loop left before the end ({@code break}, {@code return}, an exception) leaves the
     * stream to be cancelled: at once with try-with-resources, otherwise when the task's body
     * returns.
     * {@snippet :
     * try (var lines = Weft.iterate(Io.lines(in, 8192))) {
     *     for (String line : lines) {
     *         if (line.isEmpty()) {
     *             break;              // the stream is cancelled as the try block ends
     *         }
     *         handle(line);
     *     }
     * }
     * }
     */
    public static <T> Items<T> iterate(Stream<T> stream) {
        return new StreamIteration<>(stream);
    }

    /**
     * A stream's items for one loop, from {@link #iterate}: closing it before the stream's end
     * cancels the stream (idempotent; nothing happens after the end).
     *
     * @param <T> the type of the items
     */
    public interface Items<T> extends Iterable<T>, AutoCloseable {
        /** Cancels the stream unless it has ended; idempotent. */
        @Override
        void close();
    }

    // ------------------------------------------------------------------ entry points

    /**
     * Runs {@code main} on a new default runtime and returns its result; the runtime is closed
     * afterwards. For a {@code main} method: {@code public static void main(String[] a) { Weft.run(App::serve); }}.
     */
    public static <T> T run(Callable<? extends T> main) {
        try (Runtime rt = defaultRuntime()) {
            return rt.run(main);
        }
    }

    /** {@link #run(Callable)} for a body that returns nothing. */
    public static void run(Action main) {
        run(Spawner.callable(main));
    }

    /** Runs {@code main} on {@code runtime} (which stays open) and returns its result. */
    public static <T> T run(Runtime runtime, Callable<? extends T> main) {
        return runtime.run(main);
    }

    /** {@link #run(Runtime, Callable)} for a body that returns nothing. */
    public static void run(Runtime runtime, Action main) {
        runtime.run(main);
    }

    /**
     * Waits for {@code future} from anywhere: inside a runtime it {@linkplain #await awaits};
     * outside, it runs the future on a new default runtime and blocks until it is done.
     */
    public static <T> T blockOn(Future<T> future) {
        if (ExecutionContext.currentRuntimeOrNull() != null) {
            return Await.await(future);
        }
        try (Runtime rt = defaultRuntime()) {
            return rt.blockOn(future);
        }
    }

    /**
     * A new instance of the default runtime, from the highest-priority {@link RuntimeProvider} on
     * the class or module path. The caller closes it.
     *
     * @throws IllegalStateException if no runtime module is present
     */
    public static Runtime defaultRuntime() {
        return ServiceLoader.load(RuntimeProvider.class, Weft.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .max(Comparator.comparingInt(RuntimeProvider::priority))
                .orElseThrow(() -> new IllegalStateException("No Weft runtime found: add the weft-runtime module "
                        + "(dev.weft:weft-runtime) to the class or module path, or build a runtime yourself and "
                        + "use Weft.run(runtime, main)."))
                .createDefault();
    }

    // ------------------------------------------------------------------ seeing inside

    /** How much of a sequential task's stack a {@linkplain #dump dump} shows. */
    public enum Stacks {
        /**
         * Your frames only: each run of Weft and JDK frames above one of yours is shown as the
         * call you made (for example {@code Receiver.recv}) and a count of the frames left out;
         * the thread's start-up frames are dropped.
         */
        TRIMMED,
        /** Every frame, as {@link Thread#getStackTrace()} gives them. */
        FULL
    }

    /**
     * Every live task of every open runtime in this process, as text: per runtime, each task's
     * id, name, kind, state and for how long, where it is (being polled, pending, parked in
     * Weft, blocked in a JDK call), what it waits on (a sequential task's awaited future, a poll
     * task's future chain, each naming itself: {@code select(recv(mpsc#3, empty), sleep(100 ms,
     * 42 ms left))}), a sequential task's stack (your frames), counters, spawn site (with
     * {@code -Dweft.spawnSites=true}) and the scope it belongs to.
     *
     * {@snippet class="dev.weft.snippets.WeftSnippets" region="dump"}
     */
    public static String dump() {
        return dev.weft.internal.TaskDump.take().toText(false);
    }

    /** Prints {@link #dump()} to {@code out}. */
    public static void dump(java.io.PrintStream out) {
        dump(out, Stacks.TRIMMED);
    }

    /** Prints the dump to {@code out}, with trimmed or full stacks. */
    public static void dump(java.io.PrintStream out, Stacks stacks) {
        out.print(dev.weft.internal.TaskDump.take().toText(stacks == Stacks.FULL));
        out.flush();
    }

    /**
     * The dump as JSON in the shape of the JDK's {@code jcmd <pid> Thread.dump_to_file -format=json}:
     * a {@code threadDump} object with {@code processId}, {@code time}, {@code runtimeVersion} and
     * {@code threadContainers}, one per runtime and per scope, whose {@code threads} are the tasks
     * ({@code tid} is the task id, with {@code name}, {@code state}, {@code stack}); Weft's own
     * fields are in a {@code weft} object on each container and task.
     */
    public static String dumpJson() {
        return dumpJson(Stacks.TRIMMED);
    }

    /** {@link #dumpJson()} with trimmed or full stacks. */
    public static String dumpJson(Stacks stacks) {
        return dev.weft.internal.TaskDump.take().toJson(stacks == Stacks.FULL);
    }
}

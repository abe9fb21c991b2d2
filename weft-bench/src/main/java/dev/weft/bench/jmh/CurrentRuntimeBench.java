package dev.weft.bench.jmh;

import dev.weft.Cancellable;
import dev.weft.Future;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.Waker;
import dev.weft.Weft;
import dev.weft.runtime.Runtimes;
import java.util.concurrent.AbstractExecutorService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What following the current runtime costs (issue 16; seed 001's worry that library authors
 * would avoid the runtime-neutral API): {@code Weft.spawnFuture} against {@code rt.spawnFuture},
 * a timer through {@code Runtime.current()} (what {@code Weft.sleep} does at its first poll)
 * against the runtime held in a field, and the lookup alone. JMH's benchmark threads are
 * sequential tasks of a Weft multi-thread runtime here ({@link InWeftTasks}, JMH's custom
 * executor), so {@code Runtime.current()} is that runtime, as in user code. Run with
 * {@code ./weft bench jmh CurrentRuntime}; results in BENCHMARKS.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.weft.bench.jmh.CurrentRuntimeBench$InWeftTasks"})
@State(Scope.Thread)
public class CurrentRuntimeBench {
    private static final Future<Integer> READY = Future.ready(1);
    private static final Waker NOOP = () -> { };
    private static final long FAR = TimeUnit.SECONDS.toNanos(60);

    private static final int BATCH = 32;

    private Runtime rt;
    @SuppressWarnings("unchecked")
    private final Task<Integer>[] batch = new Task[BATCH];

    @Setup
    public void setup() {
        rt = Runtime.current();     // fails unless JMH runs this thread as a Weft task
    }

    /** The lookup alone: a sequential task's runtime, found through its thread. */
    @Benchmark
    public Runtime lookupCurrent() {
        return Runtime.current();
    }

    /**
     * A ready poll task spawned on the current runtime; per invocation 32 are spawned, then
     * joined (so that no backlog grows across invocations), and the time is per spawn.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int spawnViaWeft() {
        for (int i = 0; i < BATCH; i++) {
            batch[i] = Weft.spawnFuture(READY);
        }
        return joinAll();
    }

    /** The same on the runtime held in a field. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int spawnViaField() {
        for (int i = 0; i < BATCH; i++) {
            batch[i] = rt.spawnFuture(READY);
        }
        return joinAll();
    }

    private int joinAll() {
        int sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += batch[i].join();
        }
        return sum;
    }

    /** A timer armed and disarmed on the current runtime, as a sleep's first poll does. */
    @Benchmark
    public void timerViaCurrent() {
        Cancellable c = Runtime.current().scheduleWake(System.nanoTime() + FAR, NOOP);
        c.cancel();
    }

    /** The same on the runtime held in a field. */
    @Benchmark
    public void timerViaField() {
        Cancellable c = rt.scheduleWake(System.nanoTime() + FAR, NOOP);
        c.cancel();
    }

    /**
     * JMH's custom executor ({@code -Djmh.executor=CUSTOM}): each benchmark thread JMH starts is
     * a sequential task of one Weft multi-thread runtime with two workers.
     */
    public static final class InWeftTasks extends AbstractExecutorService {
        private final Runtime runtime;

        public InWeftTasks(int maxThreads, String prefix) {
            this.runtime = Runtimes.multiThreadBuilder().name("jmh-" + prefix).workers(2).build();
        }

        @Override
        public void execute(Runnable command) {
            runtime.spawn(command::run);
        }

        @Override
        public void shutdown() {
            runtime.close();
        }

        @Override
        public List<Runnable> shutdownNow() {
            runtime.close();
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return runtime.isClosed();
        }

        @Override
        public boolean isTerminated() {
            return runtime.isClosed();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}

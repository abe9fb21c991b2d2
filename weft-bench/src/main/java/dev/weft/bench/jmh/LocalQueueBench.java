package dev.weft.bench.jmh;

import dev.weft.runtime.internal.LocalQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run queues of the multi-thread scheduler, in isolation: the owner's push+pop round trip on
 * {@link LocalQueue} against the same on a {@link ConcurrentLinkedQueue} (what the injector is),
 * and push/pop with a concurrent thief stealing half. Run with {@code ./weft bench jmh}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
public class LocalQueueBench {
    private static final Runnable TASK = () -> { };
    private static final LocalQueue.Overflow DROP = batch -> { };

    @State(Scope.Thread)
    public static class Owned {
        LocalQueue local;
        ConcurrentLinkedQueue<Runnable> clq;

        @Setup(Level.Iteration)
        public void setup() {
            local = new LocalQueue(256);
            clq = new ConcurrentLinkedQueue<>();
        }
    }

    /** Owner push then pop, uncontended. */
    @Benchmark
    public Runnable localPushPop(Owned s) {
        s.local.push(TASK, DROP);
        return s.local.pop();
    }

    /** The same round trip on a ConcurrentLinkedQueue (the injector's structure). */
    @Benchmark
    public Runnable injectorOfferPoll(Owned s) {
        s.clq.offer(TASK);
        return s.clq.poll();
    }

    @State(Scope.Group)
    public static class Shared {
        LocalQueue victim;

        @Setup(Level.Iteration)
        public void setup() {
            victim = new LocalQueue(256);
        }
    }

    @State(Scope.Thread)
    public static class ThiefQueue {
        LocalQueue mine;

        @Setup(Level.Iteration)
        public void setup() {
            mine = new LocalQueue(256);
        }
    }

    /** The owner pushes 4 and pops 2 while a thief steals half concurrently. */
    @Benchmark
    @Group("contended")
    @GroupThreads(1)
    public Runnable owner(Shared s) {
        LocalQueue q = s.victim;
        q.push(TASK, DROP);
        q.push(TASK, DROP);
        q.push(TASK, DROP);
        q.push(TASK, DROP);
        q.pop();
        return q.pop();
    }

    @Benchmark
    @Group("contended")
    @GroupThreads(1)
    public Runnable thief(Shared s, ThiefQueue t) {
        Runnable r = s.victim.stealHalfInto(t.mine);
        while (t.mine.pop() != null) {
            // drain what was stolen
        }
        return r;
    }
}

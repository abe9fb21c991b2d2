package dev.weft.bench.memory;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Runtime;
import dev.weft.Task;
import dev.weft.runtime.Runtimes;
import dev.weft.sync.Channels;
import dev.weft.sync.Oneshot;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code memory} suite of ../shared/BENCH-SPEC.md: what an idle task costs. 100,000 tasks
 * are started on one runtime and left waiting; the figure is the heap in use after garbage
 * collection with the tasks waiting, minus the heap in use after garbage collection before they
 * were started, divided by the task count:
 * {@code memory <workload> <runner> <bytes> B/task}. One runner per process ({@code ./weft bench
 * memory} starts a JVM per runner, {@code -Xms2g -Xmx2g}); both workloads run in it, each on a
 * fresh runtime.
 *
 * <p>Workloads and what a task is in each runner:
 * <ul>
 *   <li>{@code idle_park}: {@code weft-multi/poll} a future that is pending forever (it keeps no
 *       waker; one small object per task); {@code weft-multi/vthread} a sequential task in
 *       {@link LockSupport#park()}; {@code jdk/vthread} {@link Thread#startVirtualThread} parked
 *       the same way;</li>
 *   <li>{@code idle_recv}: each task waits on its own oneshot channel: {@code weft-multi/poll}
 *       the task's future is {@code receiver().recvFuture()}; {@code weft-multi/vthread} a
 *       sequential task in {@code receiver().recv()}; {@code jdk/vthread} a virtual thread in
 *       {@link CompletableFuture#get()} of its own future. The channel (or future) counts as the
 *       task's.</li>
 * </ul>
 * The body of a sequential task or virtual thread is a lambda capturing only its index (and, in
 * {@code idle_recv}, its receiver or future), alike for Weft and the JDK.
 *
 * <p>Measurement: the multi-thread runtime has 2 workers, no watchdog and a 200 ms close grace.
 * Before the measured round, three rounds of 100,000 tasks of the same kind start, wait and are
 * released on the same runtime ({@code -Dweft.bench.memory.warmupRounds},
 * {@code -Dweft.bench.memory.warmupTasks}): classes loaded, the scheduler's threads started, and
 * the code on a waiting task's stack JIT-compiled, since a parked virtual thread's frozen stack
 * is about twice as big with interpreted frames (trial: after one round of 1,000, 1,661 B/task
 * for {@code weft-multi/vthread} {@code idle_park} against 854 after three of 10,000; after three
 * of 10,000 the JDK's own figure still ranged 553..1,191 B/task over 5 launches, after three of
 * 100,000 it ranged 543..545). The
 * arrays that hold the tasks' handles for the release are allocated before the "before"
 * figure, so they do not count. The
 * tasks have reached their wait when every sequential task or virtual thread reports itself
 * waiting and its {@link Thread#getState() state} is {@code WAITING}, every poll task is
 * {@linkplain Task.State#IDLE idle} after its first poll, and the runtime's workers are parked.
 * "Heap after GC": {@link System#gc()} until two successive readings of the heap in use
 * ({@link MemoryMXBean}) differ by less than 64 KiB (at most 10). Then every task is released
 * (unparked, sent its value, or, for the pending-forever future, cancelled), waited for, and the
 * runtime closed. {@code -Dweft.bench.memory.tasks=N} changes the task count (for trials only).
 */
public final class MemorySuite {
    /** The runners, in the spec's order. */
    public static final List<String> RUNNERS = List.of("weft-multi/poll", "weft-multi/vthread", "jdk/vthread");
    /** The workloads, in the spec's order. */
    public static final List<String> WORKLOADS = List.of("idle_park", "idle_recv");

    static final int TASKS = Integer.getInteger("weft.bench.memory.tasks", 100_000);
    private static final int WARMUP_TASKS = Integer.getInteger("weft.bench.memory.warmupTasks", 100_000);
    private static final int WARMUP_ROUNDS = Integer.getInteger("weft.bench.memory.warmupRounds", 3);
    private static final long STABLE_BYTES = 64 * 1024;
    private static final long WAIT_LIMIT_NANOS = Duration.ofMinutes(2).toNanos();
    private static final String RUNTIME_NAME = "memory";

    // One round's state. Static, so that a task's body captures only its index (and its channel).
    private static final AtomicInteger WAITING = new AtomicInteger();
    private static volatile boolean released;
    /** Each waiting task's thread (sequential and JDK runners): its state is checked, and it is unparked. */
    private static Thread[] threads = new Thread[0];
    /** Each task's handle (Weft runners): its state is checked, and it is waited for. */
    private static Task<?>[] tasks = new Task<?>[0];
    /** What releases each task in {@code idle_recv}: its oneshot's sender or its CompletableFuture. */
    private static Object[] releasers = new Object[0];

    private MemorySuite() { }

    /** A poll task's future that is pending forever: it keeps no waker, so nothing polls it again. */
    private static final class PendingForever implements Future<Void> {
        @Override
        public Poll<Void> poll(Context cx) {
            return Poll.pending();
        }
    }

    /** Runs the workloads (all, or those in {@code only}) for {@code runner}; one figure line each. */
    public static void run(String runner, List<String> only) throws Exception {
        if (!RUNNERS.contains(runner)) {
            throw new IllegalArgumentException("unknown memory runner '" + runner + "'; runners: " + RUNNERS);
        }
        for (String workload : only) {
            if (!WORKLOADS.contains(workload)) {
                throw new IllegalArgumentException("unknown memory workload '" + workload + "'; workloads: " + WORKLOADS);
            }
        }
        for (String workload : WORKLOADS) {
            if (only.isEmpty() || only.contains(workload)) {
                measure(runner, workload);
            }
        }
    }

    private static void measure(String runner, String workload) throws Exception {
        Runtime rt = runner.startsWith("weft-") ? Runtimes.multiThreadBuilder().name(RUNTIME_NAME).workers(2)
                .watchdog(null).closeGrace(Duration.ofMillis(200)).build() : null;
        try {
            for (int i = 0; i < WARMUP_ROUNDS; i++) {
                round(runner, workload, rt, WARMUP_TASKS, false);
            }
            double bytesPerTask = round(runner, workload, rt, TASKS, true);
            System.out.printf("memory %s %s %.1f B/task%n", workload, runner, bytesPerTask);
            System.out.flush();
        } finally {
            if (rt != null) {
                rt.close();
            }
        }
    }

    /** Starts {@code n} tasks, waits until all wait, releases them; returns the bytes per task if measuring. */
    private static double round(String runner, String workload, Runtime rt, int n, boolean measuring) throws Exception {
        threads = new Thread[n];
        tasks = new Task<?>[n];
        releasers = new Object[n];
        WAITING.set(0);
        released = false;
        long before = measuring ? settledHeapUsed("before") : 0;
        long startedAt = System.nanoTime();
        for (int i = 0; i < n; i++) {
            start(runner, workload, rt, i);
        }
        awaitAllWaiting(runner, n);
        long waitingAt = System.nanoTime();
        long after = measuring ? settledHeapUsed("with " + n + " tasks waiting") : 0;
        release(runner, workload, n);
        awaitAllDone(runner, n);
        if (measuring) {
            System.err.printf("  %-9s %-18s heap after GC %.1f MB before, %.1f MB with %d tasks waiting (started and waiting "
                            + "after %d ms)%n", workload, runner, before / 1e6, after / 1e6, n, (waitingAt - startedAt) / 1_000_000);
        }
        threads = new Thread[0];
        tasks = new Task<?>[0];
        releasers = new Object[0];
        return (after - before) / (double) n;
    }

    private static void start(String runner, String workload, Runtime rt, int i) {
        boolean park = workload.equals("idle_park");
        switch (runner) {
            case "weft-multi/poll" -> {
                if (park) {
                    tasks[i] = rt.spawnFuture(new PendingForever());
                } else {
                    Oneshot<Object> o = Channels.oneshot();
                    releasers[i] = o.sender();
                    tasks[i] = rt.spawnFuture(o.receiver().recvFuture());
                }
            }
            case "weft-multi/vthread" -> {
                if (park) {
                    tasks[i] = rt.spawn(() -> parkUntilReleased(i));
                } else {
                    Oneshot<Object> o = Channels.oneshot();
                    releasers[i] = o.sender();
                    Oneshot.Receiver<Object> rx = o.receiver();
                    tasks[i] = rt.spawn(() -> receive(i, rx));
                }
            }
            case "jdk/vthread" -> {
                if (park) {
                    Thread.startVirtualThread(() -> parkUntilReleased(i));
                } else {
                    CompletableFuture<Object> value = new CompletableFuture<>();
                    releasers[i] = value;
                    Thread.startVirtualThread(() -> get(i, value));
                }
            }
            default -> throw new IllegalArgumentException(runner);
        }
    }

    private static void parkUntilReleased(int i) {
        threads[i] = Thread.currentThread();
        WAITING.incrementAndGet();
        while (!released) {
            LockSupport.park();
        }
    }

    private static void receive(int i, Oneshot.Receiver<Object> rx) {
        threads[i] = Thread.currentThread();
        WAITING.incrementAndGet();
        rx.recv();
    }

    private static void get(int i, CompletableFuture<Object> value) {
        threads[i] = Thread.currentThread();
        WAITING.incrementAndGet();
        try {
            value.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns once every task is in its wait and the runtime's workers are parked. */
    private static void awaitAllWaiting(String runner, int n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_LIMIT_NANOS;
        boolean poll = runner.equals("weft-multi/poll");
        if (!poll) {
            until(deadline, () -> WAITING.get() == n, () -> WAITING.get() + " of " + n + " tasks reached their wait");
        }
        for (int i = 0; i < n; i++) {
            int k = i;
            if (poll) {
                until(deadline, () -> tasks[k].polls() >= 1 && tasks[k].state() == Task.State.IDLE,
                        () -> "poll task " + k + " is " + tasks[k].state() + " after " + tasks[k].polls() + " polls");
            } else {
                until(deadline, () -> threads[k].getState() == Thread.State.WAITING,
                        () -> "task " + k + "'s thread is " + threads[k].getState());
            }
        }
        if (runner.startsWith("weft-")) {
            // Three looks in a row, 20 ms apart, at workers all parked.
            int[] parkedLooks = {0};
            until(deadline, () -> {
                parkedLooks[0] = workersParked() ? parkedLooks[0] + 1 : 0;
                return parkedLooks[0] >= 3;
            }, () -> "the runtime's workers are still running");
        }
    }

    private static boolean workersParked() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(RUNTIME_NAME + "-worker-") && t.getState() != Thread.State.WAITING
                    && t.getState() != Thread.State.TIMED_WAITING) {
                return false;
            }
        }
        return true;
    }

    private static void release(String runner, String workload, int n) {
        released = true;
        for (int i = 0; i < n; i++) {
            if (workload.equals("idle_park")) {
                if (runner.equals("weft-multi/poll")) {
                    tasks[i].cancel();
                } else {
                    LockSupport.unpark(threads[i]);
                }
            } else if (runner.equals("jdk/vthread")) {
                @SuppressWarnings("unchecked")
                CompletableFuture<Object> value = (CompletableFuture<Object>) releasers[i];
                value.complete(Boolean.TRUE);
            } else {
                @SuppressWarnings("unchecked")
                Oneshot.Sender<Object> tx = (Oneshot.Sender<Object>) releasers[i];
                tx.send(Boolean.TRUE);
            }
        }
    }

    private static void awaitAllDone(String runner, int n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_LIMIT_NANOS;
        for (int i = 0; i < n; i++) {
            int k = i;
            if (runner.equals("jdk/vthread")) {
                until(deadline, () -> threads[k].getState() == Thread.State.TERMINATED,
                        () -> "task " + k + "'s thread is " + threads[k].getState() + " after its release");
            } else {
                until(deadline, () -> tasks[k].isDone(), () -> "task " + k + " is " + tasks[k].state() + " after its release");
            }
        }
    }

    private interface Condition {
        boolean holds();
    }

    private interface Why {
        String text();
    }

    /** Waits (1 ms, then 20 ms naps) until {@code c} holds; past the deadline, says why and exits with status 1. */
    private static void until(long deadline, Condition c, Why why) throws InterruptedException {
        int naps = 0;
        while (!c.holds()) {
            if (System.nanoTime() - deadline > 0) {
                System.err.println("memory: gave up waiting after " + Duration.ofNanos(WAIT_LIMIT_NANOS).toSeconds() + " s: "
                        + why.text());
                System.exit(1);
            }
            Thread.sleep(naps++ < 20 ? 1 : 20);
        }
    }

    /** The heap in use after garbage collection: GC until two readings in a row differ by less than 64 KiB. */
    static long settledHeapUsed(String when) throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long last = -1;
        for (int gcs = 1; gcs <= 10; gcs++) {
            System.gc();
            Thread.sleep(50);        // reference processing and cleaners run meanwhile
            long used = memory.getHeapMemoryUsage().getUsed();
            if (last >= 0 && Math.abs(used - last) < STABLE_BYTES) {
                return used;
            }
            last = used;
        }
        System.err.println("memory: the heap in use " + when + " was still moving after 10 GCs; using the last reading");
        return last;
    }
}

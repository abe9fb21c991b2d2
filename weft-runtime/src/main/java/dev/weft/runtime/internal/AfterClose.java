package dev.weft.runtime.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;

/**
 * Where a closed runtime's scheduler sends what is still submitted to it: virtual-thread mounts
 * of threads it carried that were not Weft tasks (plain virtual threads started inside a task
 * inherit their parent's scheduler) and late wakes of tasks it completed as cancelled. Dropping
 * them left those threads unfinished forever, their {@code finally} blocks never run (issue 18,
 * fault 5); rejecting them would throw into whoever unparked them. Here they run to their end on
 * a few daemon platform threads shared by every closed runtime, created on demand and gone after
 * a second idle: a {@link ForkJoinPool} in FIFO mode, as the JDK's own virtual-thread scheduler
 * is, whose submissions from any thread (a worker of another runtime, say) take no lock.
 */
public final class AfterClose {
    private static final ForkJoinPool EXECUTOR = new ForkJoinPool(2, pool -> {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("weft-after-close-" + t.getPoolIndex());
        t.setDaemon(true);
        return t;
    }, null, true, 0, 2, 1, null, 1, TimeUnit.SECONDS);

    private AfterClose() { }

    /** Runs {@code r} (a poll or a virtual-thread mount) off the closed runtime; a failure is reported. */
    public static void execute(Runnable r) {
        EXECUTOR.execute(() -> {
            try {
                r.run();
            } catch (Throwable t) {
                dev.weft.spi.Faults.report("a run submitted to a closed runtime", r, t);
            }
        });
    }
}

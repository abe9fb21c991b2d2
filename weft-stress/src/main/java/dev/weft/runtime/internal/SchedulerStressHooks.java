package dev.weft.runtime.internal;

/**
 * weft-stress's way into the multi-thread scheduler's package-private parking code (same
 * package, on the class path of the jcstress harness only). Nothing here changes what the
 * scheduler does.
 */
public final class SchedulerStressHooks {
    private SchedulerStressHooks() { }

    /**
     * What {@code Worker.park} does before it calls {@link Scheduler#parkWorker}: registers worker
     * {@code index} as a sleeper in {@link Idle}, so that new work notifies it.
     */
    public static void registerSleeper(Scheduler s, int index) {
        s.idle.parking(index, false);
    }

    /** {@link Scheduler#parkWorker}: the worker's last look for work, then its wait (on the driver). */
    public static void parkWorker(Scheduler s, Worker w) {
        s.parkWorker(w);
    }
}

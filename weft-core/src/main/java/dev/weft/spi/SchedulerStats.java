package dev.weft.spi;

/**
 * A runtime's scheduler counters, for its {@link WeftRuntimeMXBean} and the console
 * ({@link AbstractRuntime#schedulerStats()}).
 *
 * @param workers  worker threads
 * @param taskRuns polls and virtual-thread mounts run so far
 * @param steals   tasks taken from another worker's queue
 * @param parks    times a worker parked with nothing to do
 * @param queued   tasks queued now
 */
public record SchedulerStats(int workers, long taskRuns, long steals, long parks, int queued) {
    /** A scheduler that counts nothing: one worker, zeros. */
    public static final SchedulerStats NONE = new SchedulerStats(1, 0, 0, 0, 0);
}

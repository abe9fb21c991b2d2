package dev.weft.spi;

/**
 * What JMX tools (jconsole, VisualVM, {@code jcmd}, a monitoring agent) see of one Weft runtime,
 * registered as {@code dev.weft:type=Runtime,name=<runtime name>} (a second open runtime with the
 * same name gets {@code name=<name>#<id>}). Registered by a background thread shortly after the
 * runtime is built (starting JMX costs ~150 ms, which no runtime's builder should pay), and
 * unregistered when it closes. {@code -Dweft.jmx=false} turns it off.
 *
 * <p>The task counts walk the runtime's live tasks (a read costs O(live tasks)); the scheduler
 * counters are sums of per-worker counters, exact only when the runtime is quiet.
 */
public interface WeftRuntimeMXBean {
    /** The name given when the runtime was built. */
    String getName();

    /** The runtime's number in this process (creation order). */
    long getId();

    /** The runtime's kind and shape, for example {@code multi-thread, 2 workers}. */
    String getDescription();

    /** True once {@code close()} has begun. */
    boolean isClosed();

    /** Tasks started and not finished. */
    int getLiveTasks();

    /** Live tasks woken and waiting for a worker. */
    int getScheduledTasks();

    /** Live tasks being polled, or whose virtual thread is mounted. */
    int getRunningTasks();

    /** Live tasks waiting for a wake. */
    int getIdleTasks();

    /** Worker threads (1 for a current-thread runtime). */
    int getWorkers();

    /** Polls and virtual-thread mounts the workers have run since the runtime started. */
    long getTaskRuns();

    /** Tasks taken from another worker's queue. */
    long getSteals();

    /** Times a worker parked with nothing to do. */
    long getParks();

    /** Tasks queued now (local queues and the shared injector). */
    int getQueuedTasks();

    /** Threads of the blocking pool ({@code spawnBlocking}) now. */
    int getBlockingPoolThreads();

    /** Blocking calls waiting for a pool thread. */
    int getBlockingPoolQueued();

    /** The I/O drivers registered on the runtime, for example {@code NioDriver}. */
    String getDrivers();

    /** {@code Weft.dump()} restricted to nothing: the whole process's task dump, as text. */
    String dumpTasks();

    /** The whole process's task dump as JSON ({@code Weft.dumpJson()}). */
    String dumpTasksJson();
}

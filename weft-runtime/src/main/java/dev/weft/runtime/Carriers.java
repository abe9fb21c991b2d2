package dev.weft.runtime;

import dev.weft.runtime.internal.CarrierHook;
import dev.weft.runtime.internal.TaskThreads;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * Threads for the sequential tasks of a runtime written outside Weft: the part of the runtime SPI
 * that needs the JDK's virtual-thread internals. A runtime extending
 * {@link dev.weft.spi.AbstractRuntime} returns one of these factories from
 * {@code virtualThreadFactory()}:
 *
 * <ul>
 * <li>{@link #carriedBy} — its tasks are carried by its own threads (an event loop, a UI thread,
 * a game loop's executor): each time a task can run, the JDK hands {@code carrier.execute} a
 * runnable that mounts the task and runs it until it parks. Needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}; without it {@link #carriedBy} throws an
 * error that names the flag, and {@link #isAvailable()} is false.
 * <li>{@link #jdkScheduled} — its tasks run on the JDK's own virtual-thread scheduler. Use this,
 * not {@code Thread.ofVirtual()}: a virtual thread started from a virtual thread takes its
 * <em>parent's</em> scheduler, so a task spawned onto your runtime from a task of another runtime
 * (a Weft worker, the Swing event thread) would run on that runtime's carriers, and stop when it
 * closes. Works without the flag (then no thread has a custom scheduler to inherit).
 * </ul>
 *
 * <p>Both factories start threads that inherit the spawning task's inheritable thread-locals, as
 * Weft's own runtimes do. {@link #isCarriedBy} answers a runtime's {@code carries(Thread)}.
 *
 * {@snippet :
 * final class LoopRuntime extends AbstractRuntime {
 *     private final Executor loop;                       // runs what it is given on the loop's thread
 *     private final ThreadFactory tasks;
 *
 *     LoopRuntime(String name, Executor loop) {
 *         super(name);
 *         this.loop = loop;
 *         this.tasks = Carriers.carriedBy(loop, name);   // sequential tasks on the loop's thread too
 *     }
 *
 *     @Override public Executor pollExecutor() { return loop; }
 *     @Override public ThreadFactory virtualThreadFactory() { return tasks; }
 *     @Override public boolean carries(Thread t) { return Carriers.isCarriedBy(t, loop); }
 *     // scheduleWake, shutdown, describe ...
 * }
 * }
 *
 * <p>This class is a facade over Weft's one reach into the JDK (ARCHITECTURE.md, "Carrier hook");
 * when the JDK ships a public custom-scheduler API, only the hook changes.
 */
public final class Carriers {
    private Carriers() { }

    /** True if this JVM lets runtimes carry virtual threads ({@code --add-opens java.base/java.lang} was given). */
    public static boolean isAvailable() {
        return CarrierHook.isAvailable();
    }

    /** Why {@link #carriedBy} is unavailable, or empty if it is available. */
    public static Optional<Throwable> unavailabilityCause() {
        return CarrierHook.unavailabilityCause();
    }

    /**
     * Virtual threads whose carrier is {@code carrier}: the JDK calls {@code carrier.execute} each
     * time one of them is ready to run, and it runs on the thread that executes that runnable
     * until it parks.
     *
     * @param runtimeName named in the error if the JVM lacks the flag
     * @throws IllegalStateException if {@link #isAvailable()} is false; the message names the flag
     *     to add and the alternatives
     */
    public static ThreadFactory carriedBy(Executor carrier, String runtimeName) {
        return CarrierHook.virtualThreadFactory(Objects.requireNonNull(carrier, "carrier"), runtimeName);
    }

    /**
     * Virtual threads on the JDK's default scheduler, whichever thread starts them (a plain
     * {@code Thread.ofVirtual()} started inside a carried task would take that task's carrier).
     */
    public static ThreadFactory jdkScheduled(String runtimeName) {
        return CarrierHook.jdkSchedulerFactory(runtimeName).orElseGet(() -> TaskThreads.of(Thread.ofVirtual()));
    }

    /**
     * A gate for {@code AbstractRuntime.holdCarriersOutsideAwaits}: a runtime carried by a UI
     * toolkit's event thread keeps each sequential task on that thread except while the task
     * waits in Weft, so toolkit code in a task blocks the thread on the toolkit's locks as it would
     * on a plain event thread, instead of leaving the thread while the thread itself then waits for
     * the lock the task is queued on (a deadlock with one carrier). It pins the task's virtual
     * thread; a pinned virtual thread cannot be suspended by a debugger meanwhile.
     *
     * @throws IllegalStateException if {@link #isAvailable()} is false, or this JDK offers no pin
     */
    public static dev.weft.spi.CarrierGate holdingGate() {
        if (!CarrierHook.isAvailable()) {
            throw CarrierHook.unavailable("(holdingGate)");
        }
        return CarrierHook.pinningGate().orElseThrow(() -> new IllegalStateException(
                "this JDK (" + java.lang.Runtime.version() + ") has no VirtualThread.disableSuspendAndPreempt for the carrier hook to pin with"));
    }

    /** True if {@code thread} is a virtual thread from {@link #carriedBy}{@code (carrier, ...)}. */
    public static boolean isCarriedBy(Thread thread, Executor carrier) {
        return CarrierHook.isCarriedBy(thread, carrier);
    }
}

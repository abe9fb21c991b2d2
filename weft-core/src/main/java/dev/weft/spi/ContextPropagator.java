package dev.weft.spi;

/**
 * Carries a piece of thread-bound context (a logging MDC, a tracing span, a security principal)
 * from the code that spawns a task into the task, on whichever thread runs it. Register one with
 * {@link #register}; every task spawned afterwards, on every runtime, gets it:
 * {@link #capture()} runs on the spawning thread at the spawn, and {@link #install} on the
 * task's thread before its code runs: once for a sequential task (its thread is its own), around
 * every poll for a poll task (a worker runs many tasks; the returned action undoes the install
 * after the poll).
 *
 * {@snippet :
 * ContextPropagator.register(new ContextPropagator() {
 *     public Object capture() { return MDC.getCopyOfContextMap(); }
 *     public Runnable install(Object map) {
 *         var before = MDC.getCopyOfContextMap();
 *         MDC.setContextMap(map == null ? Map.of() : (Map<String, String>) map);
 *         return () -> MDC.setContextMap(before == null ? Map.of() : before);
 *     }
 * });
 * }
 *
 * <p>What a task inherits without a propagator: a sequential task's thread inherits the
 * spawner's {@link InheritableThreadLocal} values; {@code TaskLocal}s start at their initial
 * value; {@link ScopedValue} bindings are <em>not</em> seen by a spawned task (the JDK carries them
 * only into {@code StructuredTaskScope} forks; reaching further would need JDK internals). A
 * {@code Weft.timeout} body is the same task and sees everything. Both methods are called guarded:
 * one that throws is reported through {@link Faults} and the task runs without it.
 */
public interface ContextPropagator {
    /** On the spawning thread: the context to hand to the new task, or null for none. */
    Object capture();

    /**
     * On the task's thread, before its code runs: installs {@code captured} (what
     * {@link #capture()} returned) and returns the action that undoes it (run after each poll of
     * a poll task; a sequential task's thread ends with it installed).
     */
    Runnable install(Object captured);

    /**
     * Registers {@code propagator} for every task spawned from now on.
     *
     * @return closing it unregisters the propagator (tasks already spawned keep what they captured)
     */
    static AutoCloseable register(ContextPropagator propagator) {
        return dev.weft.internal.Propagation.register(propagator);
    }
}

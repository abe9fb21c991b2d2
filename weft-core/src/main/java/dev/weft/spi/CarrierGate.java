package dev.weft.spi;

/**
 * For a runtime whose sequential tasks must keep their carrier except while they wait in Weft:
 * a UI toolkit's event thread, where a task that leaves the thread in the middle of toolkit code
 * can deadlock it (issue 16). A task whose runtime installs a gate
 * ({@link AbstractRuntime#holdCarriersOutsideAwaits}) <em>holds</em> its carrier from its first
 * instruction: a lock, a monitor or a blocking call inside it blocks the carrier, as the same code
 * would on a plain event thread. Only Weft's own waits ({@code Weft.await}, {@code join},
 * {@code Weft.sleep}, weft-sync's and weft-io's waits) and yields ({@code Weft.yieldNow}, the
 * co-operative budget) <em>release</em> it, so the carrier runs other work meanwhile.
 *
 * <p>Both methods are called on the task's own thread, in pairs, and must be cheap. Weft's
 * implementation over the JDK's virtual threads is {@code dev.weft.runtime.Carriers.holdingGate()}.
 */
public interface CarrierGate {
    /** From now on the calling task does not leave its carrier when it blocks. */
    void hold();

    /** The calling task may leave its carrier again (it is about to wait in Weft, or to yield). */
    void release();
}

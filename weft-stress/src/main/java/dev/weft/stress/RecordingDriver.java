package dev.weft.stress;

import dev.weft.spi.Driver;

/**
 * A {@link Driver} for jcstress tests of a runtime's park: {@code park(0)} is a look that does not
 * wait; any other park records that the thread would have blocked, then waits as
 * {@link WakeLatch} says (until a {@link #wakeup()}, or until the other actor has finished).
 */
final class RecordingDriver implements Driver {
    final WakeLatch latch = new WakeLatch();
    /** Parks that would have blocked; parking thread only. */
    int blockingParks;
    /**
     * How the blocking parks ended, the worst one: {@link WakeLatch#NEVER_WOKEN} if any was never
     * woken, else {@link WakeLatch#TIMED_OUT} if any was inconclusive, else {@link WakeLatch#WOKEN};
     * 0 if none blocked. Parking thread only.
     */
    int parkEnd;

    @Override
    public void park(long timeoutNanos) {
        if (timeoutNanos == 0) {
            latch.poll();
            return;
        }
        blockingParks++;
        int end = latch.await();
        if (parkEnd != WakeLatch.NEVER_WOKEN && (end != WakeLatch.WOKEN || parkEnd == 0)) {
            parkEnd = end;
        }
    }

    @Override
    public void wakeup() {
        latch.wakeup();
    }

    @Override
    public void close() { }
}

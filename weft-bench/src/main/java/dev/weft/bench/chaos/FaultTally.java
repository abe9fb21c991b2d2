package dev.weft.bench.chaos;

import dev.weft.spi.Faults;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code faults-injected-only} invariant: every fault reported through {@link Faults} during
 * the run is one the harness injected, and every injected fault is accounted for.
 *
 * <ul>
 *   <li>A throwing waker counts itself when it throws (count and sum of ids); each must be
 *       reported once: reported wakers == thrown wakers, by count and by sum of ids.</li>
 *   <li>A throwing {@code drop()} counts itself when it throws; each either reaches the harness's
 *       own code (a select's or timeout's loser, rethrown to the awaiting task, which counts it
 *       as {@linkplain #dropPropagated propagated}) or is reported: thrown == reported +
 *       propagated, by count and by sum of ids.</li>
 *   <li>Any reported fault whose error is not an {@link Injected} is a violation, described with
 *       where it happened.</li>
 * </ul>
 * The listener runs on the {@code weft-faults} thread; the counters are atomics, so the throwing
 * side (workers, virtual threads) never takes a lock.
 */
final class FaultTally implements AutoCloseable {
    private final Invariant faults;
    private final AutoCloseable registration;
    private final long reportedBefore;
    private final LongAdder seen = new LongAdder();
    private final Tally wakersThrown = new Tally();
    private final Tally wakersReported = new Tally();
    private final Tally dropsThrown = new Tally();
    private final Tally dropsReported = new Tally();
    private final Tally dropsPropagated = new Tally();

    FaultTally(Invariant faults) {
        this.faults = faults;
        this.reportedBefore = Faults.reported();
        this.registration = Faults.addListener(this::onFault);
    }

    private void onFault(Faults.Fault f) {
        seen.increment();
        if (f.error() instanceof Injected inj) {
            switch (inj.kind()) {
                case WAKER -> wakersReported.add(inj.id());
                case DROP -> dropsReported.add(inj.id());
                default -> faults.fail("an injected " + inj.kind() + " exception was reported as a fault: " + f);
            }
            return;
        }
        StringBuilder where = new StringBuilder(f.toString());
        StackTraceElement[] st = f.error().getStackTrace();
        for (int i = 0; i < Math.min(6, st.length); i++) {
            where.append("\n        at ").append(st[i]);
        }
        faults.fail("a fault that was not injected: " + where);
    }

    /** A throwing waker is about to throw. */
    void wakerThrown(long id) {
        wakersThrown.add(id);
    }

    /** A throwing drop is about to throw. */
    void dropThrown(long id) {
        dropsThrown.add(id);
    }

    /** The harness caught an injected drop exception that a combinator rethrew to it. */
    void dropPropagated(Injected e) {
        dropsPropagated.add(e.id());
    }

    /** Waits (up to {@code timeoutMillis}) until the listener has seen every fault reported since the start. */
    void settle(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (seen.sum() < Faults.reported() - reportedBefore && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** The final accounting (after {@link #settle}). */
    void finalCheck() {
        long behind = Faults.reported() - reportedBefore - seen.sum();
        faults.check(behind == 0, () -> behind + " reported faults never reached the listener");
        faults.check(wakersReported.sameAs(wakersThrown.count(), wakersThrown.sum()),
                () -> "throwing wakers: " + wakersThrown + " threw, " + wakersReported + " reported");
        long dropsAccounted = dropsReported.count() + dropsPropagated.count();
        long dropsAccountedSum = dropsReported.sum() + dropsPropagated.sum();
        faults.check(dropsThrown.sameAs(dropsAccounted, dropsAccountedSum),
                () -> "throwing drops: " + dropsThrown + " threw, " + dropsReported + " reported + " + dropsPropagated
                        + " rethrown to the awaiting task; " + (dropsThrown.count() - dropsAccounted) + " neither");
        faults.pass(seen.sum());
    }

    String summary() {
        return "wakers thrown " + wakersThrown.count() + ", reported " + wakersReported.count() + "; drops thrown "
                + dropsThrown.count() + ", reported " + dropsReported.count() + ", rethrown " + dropsPropagated.count();
    }

    @Override
    public void close() throws Exception {
        registration.close();
    }
}

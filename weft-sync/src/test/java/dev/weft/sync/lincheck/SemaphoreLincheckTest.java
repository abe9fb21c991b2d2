package dev.weft.sync.lincheck;

import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.sync.Semaphore;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lincheck checks the semaphore ({@code FairSemaphore}) in two ways.
 * <ul>
 *   <li>{@link Linearizable}: its non-blocking operations against a counter.</li>
 *   <li>{@link CancelSafety}: acquisitions that queue (partly served), are granted by a racing
 *       release, and are cancelled, interleaved every possible way by the model checker. Those
 *       operations are not atomic (a queued acquisition holds permits for a while, by design:
 *       FIFO), so they are not compared with a specification; instead each returns the permits it
 *       got, and a validation function checks after every interleaving that every permit is back
 *       and nobody is left queued: the "cancel races with the grant" claim. One acquisition is
 *       shared by two operations on different threads, one polling it once and one dropping it
 *       (drop is any-thread), so the drop also lands before, inside and after its first poll.</li>
 * </ul>
 */
@Tag("lincheck")
public class SemaphoreLincheckTest {

    @Test
    void nonBlockingOperationsAreLinearizable_modelChecking() {
        new ModelCheckingOptions().iterations(40).invocationsPerIteration(1_500)
                .threads(3).actorsPerThread(3)
                .sequentialSpecification(Linearizable.Spec.class).check(Linearizable.class);
    }

    @Test
    void nonBlockingOperationsAreLinearizable_stress() {
        new StressOptions().iterations(30).invocationsPerIteration(2_000)
                .threads(3).actorsPerThread(3)
                .sequentialSpecification(Linearizable.Spec.class).check(Linearizable.class);
    }

    @Test
    void cancelledAndGrantedAcquisitionsLeakNothing_modelChecking() {
        new ModelCheckingOptions().iterations(50).invocationsPerIteration(2_000)
                .threads(3).actorsPerThread(2)
                .check(CancelSafety.class);
    }

    /** tryAcquire / release / available on a semaphore of 3. */
    @Param(name = "n", gen = IntGen.class, conf = "1:3")
    public static class Linearizable {
        private final Semaphore s = new Semaphore(3);

        @Operation
        public boolean tryAcquire(@Param(name = "n") int n) {
            return s.tryAcquire(n).isPresent();
        }

        @Operation
        public void release(@Param(name = "n") int n) {
            s.release(n);
        }

        @Operation
        public int available() {
            return s.availablePermits();
        }

        /** The specification: a counter. */
        public static class Spec {
            private int permits = 3;

            public boolean tryAcquire(int n) {
                if (permits < n) {
                    return false;
                }
                permits -= n;
                return true;
            }

            public void release(int n) {
                permits += n;
            }

            public int available() {
                return permits;
            }
        }
    }

    /** Acquisitions that queue, get granted, get cancelled; everything returned in the end. */
    @Param(name = "n", gen = IntGen.class, conf = "1:2")
    public static class CancelSafety {
        static final int PERMITS = 2;
        private final Semaphore s = new Semaphore(PERMITS);

        /** Poll once; if it got the permits give them back, else cancel (perhaps after a grant). */
        @Operation
        public void acquireOrCancel(@Param(name = "n") int n) {
            Poll<Semaphore.Permit> p = Probe.pollOnceOrCancel(s.acquireFuture(n));
            if (p.isReady()) {
                p.value().close();
            }
        }

        /** Shared by {@link #pollShared} and {@link #dropShared}, which run on different threads. */
        private final Future<Semaphore.Permit> shared = s.acquireFuture(1);
        private volatile boolean sharedDropped;

        /** The first (and only) poll of the shared acquisition; permits it got are given back. */
        @Operation(runOnce = true)
        public void pollShared() {
            Poll<Semaphore.Permit> p = Probe.pollOnce(shared);
            if (p.isReady()) {
                p.value().close();
            }
        }

        /** Drops the shared acquisition, perhaps while {@link #pollShared} runs on another thread. */
        @Operation(runOnce = true)
        public void dropShared() {
            shared.drop();
            sharedDropped = true;
        }

        /** Take permits without waiting and give them back: creates the contention. */
        @Operation
        public void holdAndRelease(@Param(name = "n") int n) {
            s.tryAcquire(n).ifPresent(Semaphore.Permit::close);
        }

        /** Take everything, then release it in two steps: grants happen in between. */
        @Operation
        public void drainAndRefill() {
            s.tryAcquire(PERMITS).ifPresent(p -> {
                p.forget();
                s.release(1);
                s.release(PERMITS - 1);
            });
        }

        @org.jetbrains.lincheck.datastructures.Validate
        public void everyPermitIsBack() {
            if (!sharedDropped) {
                shared.drop();              // polled and queued, never dropped in this scenario: legitimately waiting
            }
            if (s.availablePermits() != PERMITS || s.tryAcquire(PERMITS).isEmpty()) {
                throw new AssertionError("leaked or stuck: " + s);
            }
            s.release(PERMITS);
        }
    }
}

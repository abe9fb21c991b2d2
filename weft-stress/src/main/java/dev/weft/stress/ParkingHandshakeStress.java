package dev.weft.stress;

import dev.weft.runtime.internal.Idle;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The multi-thread scheduler's "no lost wake-up when parking" claim (see {@code Scheduler}'s
 * implementation notes): a submitter enqueues to the injector and then asks {@link Idle} whom to
 * wake; a worker registers as a sleeper in {@link Idle} and then re-checks the injector. Either
 * the submitter finds the sleeper to wake, or the worker sees the work: never neither.
 * Run with {@code ./weft jcstress}.
 */
@JCStressTest
@Outcome(id = {"-1, 1", "0, 0", "0, 1"}, expect = Expect.ACCEPTABLE, desc = "the work is seen or the worker is woken")
@Outcome(id = "-1, 0", expect = Expect.FORBIDDEN, desc = "work queued, worker parks, nobody woken: lost wake-up")
@State
public class ParkingHandshakeStress {
    private static final Runnable TASK = () -> { };

    private final Idle idle = new Idle(1);                // one worker, awake
    private final ConcurrentLinkedQueue<Runnable> injector = new ConcurrentLinkedQueue<>();

    @Actor
    public void submitter(II_Result r) {
        injector.offer(TASK);
        r.r1 = idle.workerToNotify();                     // index of a sleeper to unpark, or -1
    }

    @Actor
    public void parkingWorker(II_Result r) {
        idle.parking(0, false);
        r.r2 = injector.isEmpty() ? 0 : 1;                // the re-check before sleeping
    }
}

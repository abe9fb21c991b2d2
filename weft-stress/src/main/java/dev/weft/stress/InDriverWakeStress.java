package dev.weft.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Context;
import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.Waker;
import dev.weft.runtime.CurrentThreadRuntime;
import dev.weft.runtime.Runtimes;
import dev.weft.runtime.internal.Scheduler;
import dev.weft.runtime.internal.SchedulerStressHooks;
import dev.weft.runtime.internal.Worker;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The {@code inDriver} wake handshake of both runtimes (ARCHITECTURE.md decision 16): a thread
 * about to wait on the runtime's {@link dev.weft.spi.Driver} sets {@code inDriver} before its last
 * look for work; a thread that queues work and then sees {@code inDriver} calls
 * {@code driver.wakeup()} instead of {@code LockSupport.unpark} (which would not end a wait in a
 * selector). Either the last look sees the work, or a wake-up reaches the driver: never a thread
 * waiting in the driver with work queued and nobody waking it.
 *
 * <p>The runtimes' own code runs; only the driver is a {@link RecordingDriver}, whose park records
 * that the thread would block and then waits as a blocked thread would (its flags still set) until
 * a wake-up, or until the other actor has finished (then nothing would ever wake it; see
 * {@link WakeLatch}). r1 = parks that would have blocked, r2 = how they ended, the worst one
 * (1 woken, 2 never woken, 3 inconclusive; 0 if it did not park).
 */
public final class InDriverWakeStress {
    private InDriverWakeStress() { }

    private static final Runnable WORK = () -> { };

    /**
     * Multi-thread runtime: {@code Scheduler.parkWorker} (the worker holding the timer lock waits
     * on the driver) racing {@code Scheduler.execute} from outside the workers (injector, then
     * {@code Idle.workerToNotify}, then {@code Worker.unpark}). The worker is already registered
     * as a sleeper, as {@code Worker.park} does before it calls {@code parkWorker}.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the worker's last look saw the work")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the worker waited in the driver and the submitter woke it")
    @Outcome(id = "1, 3", expect = ACCEPTABLE_INTERESTING, desc = "inconclusive: the submitter did not finish within ten seconds")
    @Outcome(id = "1, 2", expect = FORBIDDEN, desc = "lost wake-up: the worker waits in the driver, work queued, nobody wakes it")
    @State
    public static class MultiThread {
        final RecordingDriver driver = new RecordingDriver();
        final Scheduler scheduler = new Scheduler(null, "stress", 1, 4);
        final Worker worker = scheduler.workers()[0];

        public MultiThread() {
            scheduler.attachDriver(driver);
            SchedulerStressHooks.registerSleeper(scheduler, 0);        // the only worker
        }

        /** The worker found no work: it parks, on the driver. */
        @Actor
        public void worker() {
            SchedulerStressHooks.parkWorker(scheduler, worker);
        }

        /** A thread outside the runtime submits work. */
        @Actor
        public void submitter() {
            try {
                scheduler.execute(WORK);
            } finally {
                driver.latch.otherActorDone();
            }
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = driver.blockingParks;
            r.r2 = driver.parkEnd;
        }
    }

    /**
     * Current-thread runtime: {@code CurrentThreadRuntime.parkUntilWork} (the driving thread, in
     * {@code blockOn}, waits on the driver) racing {@code wakeDriver} (another thread wakes the
     * blocked-on task: the wake queues it and reads {@code parked} and {@code inDriver}). The
     * waker opens the gate only once the task's first poll has registered its waker: the wake then
     * queues the task from outside while the driving thread goes from that poll to its park, the
     * window the claim is about (without the wait, the driving thread reached its park in about
     * one sample in 800, and a mutation that breaks the claim failed only 2 configurations of 14).
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the driving thread saw the work before waiting")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the driving thread waited in the driver and the waker woke it")
    @Outcome(id = {"1, 3", "2, 3"}, expect = ACCEPTABLE_INTERESTING, desc = "inconclusive: the waker did not finish within ten seconds")
    @Outcome(id = {"1, 2", "2, 2"}, expect = FORBIDDEN, desc = "lost wake-up: the driving thread waits in the driver, work queued, nobody wakes it")
    @State
    public static class CurrentThread {
        final RecordingDriver driver = new RecordingDriver();
        final CurrentThreadRuntime runtime = Runtimes.currentThread("stress");
        final Gate gate = new Gate();

        public CurrentThread() {
            runtime.driver(RecordingDriver.class, rt -> driver);
        }

        /** The driving thread: blocks on a future that is ready once the gate opens. */
        @Actor
        public void drivingThread() {
            runtime.blockOn(gate);
        }

        /** Another thread opens the gate: its wake queues the task on the runtime. */
        @Actor
        public void waker() {
            try {
                gate.awaitFirstPoll();
                gate.open();
            } finally {
                driver.latch.otherActorDone();
            }
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = driver.blockingParks;
            r.r2 = driver.parkEnd;
        }
    }

    /**
     * A future that is ready once opened. Its own handshake is the usual one over two volatiles
     * (open, then read the waker; store the waker, then read open), so its wake is never lost and
     * what is tested is the runtime's.
     */
    static final class Gate implements Future<Void> {
        private volatile boolean open;
        private volatile Waker waker;

        @Override
        public Poll<Void> poll(Context cx) {
            if (open) {
                return Poll.ready(null);
            }
            waker = cx.waker();
            return open ? Poll.ready(null) : Poll.pending();
        }

        /** Spins until a poll has registered its waker (at most ten seconds: a stuck run then goes on). */
        void awaitFirstPoll() {
            long start = System.nanoTime();
            while (waker == null && System.nanoTime() - start < 10_000_000_000L) {
                Thread.onSpinWait();
            }
        }

        void open() {
            open = true;
            Waker w = waker;
            if (w != null) {
                w.wake();
            }
        }
    }
}

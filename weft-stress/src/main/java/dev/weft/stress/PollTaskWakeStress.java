package dev.weft.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Poll;
import dev.weft.internal.PollTask;
import dev.weft.runtime.Runtimes;
import dev.weft.spi.AbstractRuntime;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@link PollTask}'s run state and its self-wake flag (see its implementation notes): a wake
 * from inside the task's own poll only sets a plain flag that the polling thread reads when the
 * poll returns; a wake from any other thread takes the CAS path (IDLE to SCHEDULED, or RUNNING to
 * NOTIFIED). One actor runs one poll of a real task (queued, as after {@code start()}), the other
 * wakes it from its own thread. Its executor only counts what is queued; after both actors the
 * arbiter runs what was queued once, as a worker would, to see that it really polls again.
 */
public final class PollTaskWakeStress {
    private PollTaskWakeStress() { }

    private static final AbstractRuntime RT = (AbstractRuntime) Runtimes.currentThread("poll-task-stress");

    /** An executor that queues without running: the arbiter runs what it holds. */
    static final class QueueCounter implements Executor {
        final AtomicInteger queued = new AtomicInteger();
        volatile Runnable last;

        @Override
        public void execute(Runnable r) {
            last = r;
            queued.incrementAndGet();
        }

        /** Runs the queued poll once, as a worker would; returns how many times the task was queued. */
        int runQueued() {
            int n = queued.get();
            if (n > 0) {
                last.run();
            }
            return n;
        }
    }

    /**
     * A wake from another thread racing the end of a poll that returns pending without waking
     * itself: the wake is never lost. The waker writes a volatile signal before it wakes (its
     * resource's own synchronization); the poll reads it. r1 = 1 if the poll saw the signal,
     * r2 = times queued, r3 = polls after the arbiter ran what was queued.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "the poll saw the signal (the wake came first); not queued again")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "the wake came during or after the poll: queued once, polled again")
    @Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "the poll saw the signal and the wake still landed while it ran: polled again (spurious)")
    @Outcome(id = "0, 0, 1", expect = FORBIDDEN, desc = "lost wake-up: the poll missed the signal and the task was left idle")
    @Outcome(expect = FORBIDDEN, desc = "queued twice for one wake, or queued but not polled again")
    @State
    public static class ForeignWake {
        final QueueCounter executor = new QueueCounter();
        volatile int signal;
        int polls;
        int sawSignal;
        final PollTask<Void> task = new PollTask<>(RT, "stress", null, cx -> {
            polls++;
            if (polls == 1) {
                sawSignal = signal;
            }
            return Poll.pending();
        }, executor);

        @Actor
        public void poller() {
            task.run();
        }

        @Actor
        public void waker() {
            signal = 1;
            task.wake();
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r2 = executor.runQueued();
            r.r1 = sawSignal;
            r.r3 = polls;
        }
    }

    /**
     * A poll that wakes its own task (a yield: the flag path) racing a wake from another thread
     * (the CAS path): the task is queued exactly once and polled again. r1 = times queued,
     * r2 = polls after the arbiter ran what was queued.
     */
    @JCStressTest
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "queued once, polled again")
    @Outcome(id = "2, 2", expect = FORBIDDEN, desc = "queued twice for one poll")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "never queued again: both wakes lost")
    @Outcome(expect = FORBIDDEN, desc = "queued but not polled again (the run state was left wrong)")
    @State
    public static class SelfWake {
        final QueueCounter executor = new QueueCounter();
        int polls;
        final PollTask<Void> task = new PollTask<>(RT, "stress", null, cx -> {
            polls++;
            if (polls == 1) {
                cx.waker().wake();      // a yield
            }
            return Poll.pending();
        }, executor);

        @Actor
        public void poller() {
            task.run();
        }

        @Actor
        public void waker() {
            task.wake();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = executor.runQueued();
            r.r2 = polls;
        }
    }
}

package dev.weft.stress;

import dev.weft.runtime.internal.LocalQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The memory-ordering claims of the scheduler's {@link LocalQueue} (see its implementation notes).
 * Run with {@code ./weft jcstress}.
 */
public final class LocalQueueStress {
    private LocalQueueStress() { }

    /** A task with a payload written before it is pushed. */
    static final class Job implements Runnable {
        int payload;

        Job(int payload) {
            this.payload = payload;
        }

        @Override
        public void run() { }
    }

    private static int id(Runnable r) {
        return r == null ? 0 : ((Job) r).payload;
    }

    /**
     * Owner pop racing a thief's steal over two queued tasks: each is taken exactly once (the CAS
     * on head decides; a thief's copies made before a failed CAS are discarded).
     */
    @JCStressTest
    @Outcome(id = {"1, 2", "2, 1"}, expect = Expect.ACCEPTABLE, desc = "each task taken exactly once")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a task taken twice or lost")
    @State
    public static class PopRacesSteal {
        final LocalQueue owner = new LocalQueue(4);
        final LocalQueue thief = new LocalQueue(4);

        public PopRacesSteal() {
            owner.push(new Job(1), batch -> { throw new AssertionError("no overflow expected"); });
            owner.push(new Job(2), batch -> { throw new AssertionError("no overflow expected"); });
        }

        @Actor
        public void ownerPops(II_Result r) {
            r.r1 = id(owner.pop());
        }

        @Actor
        public void thiefSteals(II_Result r) {
            r.r2 = id(owner.stealHalfInto(thief));
        }
    }

    /**
     * A push publishes the task with a release store of the tail; a thief reads the tail with
     * acquire, so a task it steals has the payload written before the push.
     */
    @JCStressTest
    @Outcome(id = "0", expect = Expect.ACCEPTABLE, desc = "thief ran before the push")
    @Outcome(id = "42", expect = Expect.ACCEPTABLE, desc = "stolen, payload visible")
    @Outcome(expect = Expect.FORBIDDEN, desc = "stolen task seen without its payload")
    @State
    public static class PushPublishesToThief {
        final LocalQueue owner = new LocalQueue(4);
        final LocalQueue thief = new LocalQueue(4);

        @Actor
        public void ownerPushes() {
            owner.push(new Job(42), batch -> { });
        }

        @Actor
        public void thiefSteals(I_Result r) {
            Runnable stolen = owner.stealHalfInto(thief);
            r.r1 = stolen == null ? 0 : ((Job) stolen).payload;
        }
    }

    /**
     * Two thieves racing over three tasks: each task is taken at most once; together with the
     * owner's final drain (arbiter), all three are accounted for exactly once.
     */
    @JCStressTest
    @Outcome(id = "7", expect = Expect.ACCEPTABLE, desc = "tasks 1, 2 and 4 each taken exactly once")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a task taken twice or lost")
    @State
    public static class ThievesRace {
        final LocalQueue owner = new LocalQueue(8);
        final LocalQueue a = new LocalQueue(8);
        final LocalQueue b = new LocalQueue(8);
        int takenByA;
        int takenByB;

        public ThievesRace() {
            owner.push(new Job(1), batch -> { });
            owner.push(new Job(2), batch -> { });
            owner.push(new Job(4), batch -> { });
        }

        private static int drain(Runnable first, LocalQueue q) {
            int sum = id(first);
            for (Runnable r = q.pop(); r != null; r = q.pop()) {
                sum += id(r);
            }
            return sum;
        }

        @Actor
        public void thiefA() {
            takenByA = drain(owner.stealHalfInto(a), a);
        }

        @Actor
        public void thiefB() {
            takenByB = drain(owner.stealHalfInto(b), b);
        }

        @org.openjdk.jcstress.annotations.Arbiter
        public void account(I_Result r) {
            int rest = drain(null, owner);
            int all = takenByA + takenByB + rest;
            // sums of distinct bits: a duplicate or a loss changes the total
            r.r1 = (takenByA & takenByB) != 0 || (takenByA & rest) != 0 || (takenByB & rest) != 0 ? -all : all;
        }
    }
}

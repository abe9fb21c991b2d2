package dev.weft.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Poll;
import dev.weft.internal.PollTask;
import dev.weft.runtime.Runtimes;
import dev.weft.spi.AbstractRuntime;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A task's outcome publication ({@code TaskCore.finish}): the completing thread writes the value,
 * then the outcome with a release store, then swaps the waiter stack closed; an awaiter reads the
 * outcome, or pushes its waker. A done task whose value is not visible, or a pending awaiter never
 * woken, is forbidden. r1 = 1 if the await was ready; r2 = the value's field if ready, else wakes.
 */
@JCStressTest
@Outcome(id = "1, 42", expect = ACCEPTABLE, desc = "done, with the value the task wrote")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "pending, and completion woke the awaiter")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "done, but the value (or its field) not visible")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "lost wake-up")
@State
public class TaskOutcomeStress {
    private static final AbstractRuntime RT = (AbstractRuntime) Runtimes.currentThread("task-outcome-stress");

    static final class Box {
        int x;     // not final: only the outcome's ordering may make it visible
    }

    final PollTask<Box> task = new PollTask<>(RT, "stress", null, cx -> {
        Box b = new Box();
        b.x = 42;
        return Poll.ready(b);
    }, Runnable::run);
    final CountingWaker waker = new CountingWaker();

    @Actor
    public void completer() {
        task.run();            // one poll: ready, so the task completes here
    }

    @Actor
    public void awaiter(II_Result r) {
        Poll<Box> p = task.poll(waker.cx);
        if (p.isReady()) {
            r.r1 = 1;
            Box b = p.value();
            r.r2 = b == null ? 0 : b.x;
        }
    }

    @Arbiter
    public void wakes(II_Result r) {
        if (r.r1 == 0) {
            r.r2 = waker.count();
        }
    }
}

package dev.weft.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.Future;
import dev.weft.sync.Channels;
import dev.weft.sync.Oneshot;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The oneshot's WAKER-bit protocol ({@code OneshotCore}): a receive registers its waker by CAS
 * while the value is sent by CAS. Pending and never woken is a lost wake-up. r1 = 1 if the receive
 * was ready, r2 = wakes.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the receive found the value")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "pending, and the send woke it")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "lost wake-up")
@State
public class OneshotWakeupRace {
    final Oneshot<Integer> o = Channels.oneshot();
    final Future<Integer> recv = o.receiver().recvFuture();
    final CountingWaker waker = new CountingWaker();

    @Actor
    public void receiver(II_Result r) {
        r.r1 = recv.poll(waker.cx).isReady() ? 1 : 0;
    }

    @Actor
    public void sender() {
        o.sender().send(42);
    }

    @Arbiter
    public void wakes(II_Result r) {
        r.r2 = waker.count();
    }
}

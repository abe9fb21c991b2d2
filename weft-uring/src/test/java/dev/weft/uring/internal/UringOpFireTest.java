package dev.weft.uring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A multishot operation may be fired by two reapers at once (one for a last result, one for the
 * terminal CQE), and both see it done: its completion callback must still run exactly once. A
 * stress test of the atomic claim in {@link UringOp#fire}.
 */
class UringOpFireTest {
    @Test
    void twoThreadsFiringACompletedMultishotOperationRunItsCallbackOnce() throws Exception {
        int rounds = 20_000;
        AtomicInteger extra = new AtomicInteger();
        AtomicInteger arrived = new AtomicInteger();
        UringOp[] ops = new UringOp[rounds];
        AtomicInteger[] calls = new AtomicInteger[rounds];
        for (int i = 0; i < rounds; i++) {
            AtomicInteger c = calls[i] = new AtomicInteger();
            ops[i] = new UringOp(null, Opcode.SEND_ZC, -1, 0, 0, 0, 0, "test op", i).onEach(r -> { })
                    .onComplete(r -> c.incrementAndGet());
            ops[i].addMore(64);
            ops[i].complete(0);
        }
        Runnable firer = () -> {
            for (int i = 0; i < rounds; i++) {
                arrived.incrementAndGet();      // a spinning barrier: both fire the same operation at once
                while (arrived.get() < 2 * (i + 1)) {
                    Thread.onSpinWait();
                }
                ops[i].fire();
            }
        };
        Thread a = Thread.ofPlatform().start(firer);
        Thread b = Thread.ofPlatform().start(firer);
        a.join();
        b.join();
        for (AtomicInteger c : calls) {
            if (c.get() != 1) {
                extra.incrementAndGet();
            }
        }
        assertThat(extra.get()).as("operations whose callback ran other than once").isZero();
        assertThat(ops[0].firstMoreOr(-1)).as("the count of a SEND_ZC is its first result").isEqualTo(64);
    }
}

package dev.weft.sync.lincheck;

import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.sync.Channels;
import dev.weft.sync.ClosedException;
import dev.weft.sync.Oneshot;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lincheck checks the oneshot's state machine ({@code OneshotCore}): a send or sender close racing
 * the receiver's close and the receiver's polls, a receive future polled once and cancelled (it
 * must take nothing), a receive whose value is given back ({@code Future.release}: it must be
 * as if only the receive after it ran), against a four-field sequential specification. A oneshot
 * has one sender and one receiver, so each side's operations form one non-parallel group.
 */
@Tag("lincheck")
@Param(name = "v", gen = IntGen.class, conf = "1:9")
public class OneshotLincheckTest {
    static final int END = -1;
    static final int TAKEN = -2;

    private final Oneshot<Integer> o = Channels.oneshot();

    @Operation(nonParallelGroup = "sender")
    public String send(@Param(name = "v") int v) {
        try {
            o.sender().send(v);
            return "ok";
        } catch (ClosedException e) {
            return "closed:" + e.<Integer>value();
        } catch (IllegalStateException e) {
            return "already";
        }
    }

    @Operation(nonParallelGroup = "sender")
    public void closeSender() {
        o.sender().close();
    }

    @Operation(nonParallelGroup = "receiver")
    public Integer tryRecv() {
        try {
            return o.receiver().tryRecv();
        } catch (ClosedException e) {
            return END;
        } catch (IllegalStateException e) {
            return TAKEN;
        }
    }

    @Operation(nonParallelGroup = "receiver")
    public Integer recvPollOnce() {
        try {
            Poll<Integer> p = Probe.pollOnceOrCancel(o.receiver().recvFuture());
            return p.isReady() ? p.value() : o.receiver().tryRecv();
        } catch (ClosedException e) {
            return END;
        } catch (IllegalStateException e) {
            return TAKEN;
        }
    }

    /** A receive future polled once; a value it got is given back (release); then a plain receive. */
    @Operation(nonParallelGroup = "receiver")
    public Integer recvGiveBackThenTryRecv() {
        try {
            Future<Integer> f = o.receiver().recvFuture();
            Poll<Integer> p = Probe.pollOnceOrCancel(f);
            if (p.isReady()) {
                f.release(p.value());
            }
            return o.receiver().tryRecv();
        } catch (ClosedException e) {
            return END;
        } catch (IllegalStateException e) {
            return TAKEN;
        }
    }

    @Operation(nonParallelGroup = "receiver")
    public void closeReceiver() {
        o.receiver().close();
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(40).invocationsPerIteration(1_500)
                .threads(3).actorsPerThread(2).actorsBefore(1).actorsAfter(2)
                .sequentialSpecification(Spec.class).check(getClass());
    }

    @Test
    void stress() {
        new StressOptions().iterations(30).invocationsPerIteration(2_000)
                .threads(3).actorsPerThread(2)
                .sequentialSpecification(Spec.class).check(getClass());
    }

    /** The sequential specification. */
    public static class Spec {
        private Integer value;
        private boolean senderDone;
        private boolean receiverClosed;
        private boolean taken;

        public String send(int v) {
            if (senderDone) {
                return "already";
            }
            if (receiverClosed) {
                return "closed:" + v;
            }
            value = v;
            senderDone = true;
            return "ok";
        }

        public void closeSender() {
            senderDone = true;
        }

        public Integer tryRecv() {
            if (taken) {
                return TAKEN;
            }
            if (value != null) {
                taken = true;
                return value;
            }
            return senderDone ? END : null;
        }

        public Integer recvGiveBackThenTryRecv() {
            return tryRecv();
        }

        public Integer recvPollOnce() {
            return tryRecv();
        }

        public void closeReceiver() {
            receiverClosed = true;
        }
    }
}

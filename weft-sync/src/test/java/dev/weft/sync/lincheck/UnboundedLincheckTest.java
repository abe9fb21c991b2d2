package dev.weft.sync.lincheck;

import dev.weft.Future;
import dev.weft.Poll;
import dev.weft.sync.Channel;
import dev.weft.sync.ClosedException;
import dev.weft.sync.internal.ChannelCore;
import dev.weft.sync.internal.ChannelReceiver;
import dev.weft.sync.internal.ChannelSender;
import java.util.ArrayDeque;
import java.util.ArrayList;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lincheck checks the unbounded mpsc channel against an {@link ArrayDeque}. Its blocks are shrunk
 * to 2 slots so that the scenarios constantly claim positions in blocks not linked yet, link them
 * by racing CAS, and step the consumer across block boundaries (the cases of
 * {@code LinkedBlocks}' notes). Same operations as {@link MpscLincheckTest}, never full, plus two
 * that give a received message or batch back ({@code Future.release}) and then receive: they must
 * behave as the plain receive alone (the given-back message is the head again, before the end),
 * checking {@code ChannelCore}'s given-back list. They are only here, not on the bounded channel:
 * there a message given back does not count against the capacity, so a send racing with it may
 * find room that a plain deque of capacity 2 would not have.
 */
@Tag("lincheck")
@Param(name = "v", gen = IntGen.class, conf = "1:9")
public class UnboundedLincheckTest {
    static final int END = -1;

    private final Channel<Integer> ch;

    public UnboundedLincheckTest() {
        ChannelCore<Integer> core = ChannelCore.unbounded(2);
        ch = new Channel<>(new ChannelSender<>(core), new ChannelReceiver<>(core));
    }

    @Operation
    public String trySend(@Param(name = "v") int v) {
        try {
            return ch.sender().trySend(v) ? "ok" : "full";
        } catch (IllegalStateException closedOrHandleClosed) {
            return "closed";
        }
    }

    @Operation
    public String sendPollOnce(@Param(name = "v") int v) {
        try {
            return Probe.pollOnceOrCancel(ch.sender().sendFuture(v)).isReady() ? "ok" : "full";
        } catch (IllegalStateException closedOrHandleClosed) {
            return "closed";
        }
    }

    @Operation(nonParallelGroup = "consumer")
    public Integer tryRecv() {
        try {
            return ch.receiver().tryRecv();
        } catch (ClosedException e) {
            return END;
        }
    }

    @Operation(nonParallelGroup = "consumer")
    public Integer recvPollOnce() {
        try {
            Poll<Integer> p = Probe.pollOnceOrCancel(ch.receiver().recvFuture());
            return p.isReady() ? p.value() : ch.receiver().tryRecv();
        } catch (ClosedException e) {
            return END;
        }
    }

    /** A receive future polled once; what it got is given back (release); then a strict receive. */
    @Operation(nonParallelGroup = "consumer")
    public Integer recvGiveBackThenTryRecv() {
        try {
            Future<Integer> f = ch.receiver().recvFuture();
            Poll<Integer> p = Probe.pollOnceOrCancel(f);
            if (p.isReady()) {
                f.release(p.value());
            }
            return ch.receiver().tryRecv();
        } catch (ClosedException e) {
            return END;
        }
    }

    /** A batch receive (up to 2) polled once; what it moved is given back; then a strict receive. */
    @Operation(nonParallelGroup = "consumer")
    public Integer recvManyGiveBackThenTryRecv() {
        try {
            Future<Integer> f = ch.receiver().recvManyFuture(new ArrayList<>(), 2);
            Poll<Integer> p = Probe.pollOnceOrCancel(f);
            if (p.isReady()) {
                f.release(p.value());
            }
            return ch.receiver().tryRecv();
        } catch (ClosedException e) {
            return END;
        }
    }

    @Operation(nonParallelGroup = "consumer")
    public void closeReceiver() {
        ch.receiver().close();
    }

    @Operation(runOnce = true)
    public void closeSender() {
        ch.sender().close();
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(40).invocationsPerIteration(1_500)
                .threads(3).actorsPerThread(3).actorsBefore(2).actorsAfter(2)
                .sequentialSpecification(Spec.class).check(getClass());
    }

    @Test
    void stress() {
        new StressOptions().iterations(30).invocationsPerIteration(2_000)
                .threads(3).actorsPerThread(4)
                .sequentialSpecification(Spec.class).check(getClass());
    }

    /** The sequential specification: an unbounded deque with a closed flag. */
    public static class Spec {
        private final ArrayDeque<Integer> queue = new ArrayDeque<>();
        private boolean closed;

        public String trySend(int v) {
            if (closed) {
                return "closed";
            }
            queue.add(v);
            return "ok";
        }

        public String sendPollOnce(int v) {
            return trySend(v);
        }

        public Integer tryRecv() {
            if (queue.isEmpty()) {
                return closed ? END : null;
            }
            return queue.poll();
        }

        public Integer recvPollOnce() {
            return tryRecv();
        }

        public Integer recvGiveBackThenTryRecv() {
            return tryRecv();
        }

        public Integer recvManyGiveBackThenTryRecv() {
            return tryRecv();
        }

        public void closeReceiver() {
            closed = true;
        }

        public void closeSender() {
            closed = true;
        }
    }
}

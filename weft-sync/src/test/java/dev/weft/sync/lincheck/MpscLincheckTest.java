package dev.weft.sync.lincheck;

import dev.weft.Poll;
import dev.weft.sync.Channel;
import dev.weft.sync.Channels;
import dev.weft.sync.ClosedException;
import java.util.ArrayDeque;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lincheck checks that the bounded mpsc channel (capacity 2, so "full" is reached) is linearizable
 * against a plain {@link ArrayDeque}: model checking explores thread interleavings at every shared
 * access (the waker-registration handshake, the ring's sequence numbers, the CLOSED bit), stress
 * runs them for real. Operations: non-blocking send and receive, a send and a receive future
 * polled once and cancelled if pending (they must then have had no effect: cancel-safety), and
 * both ways of closing. Receives are in one non-parallel group: there is one consumer.
 */
@Tag("lincheck")
@Param(name = "v", gen = IntGen.class, conf = "1:9")
public class MpscLincheckTest {
    static final int CAPACITY = 2;
    static final int END = -1;

    private final Channel<Integer> ch = Channels.mpsc(CAPACITY);

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

    /** A receive future polled once; if pending it is cancelled, and then nothing may be missing. */
    @Operation(nonParallelGroup = "consumer")
    public Integer recvPollOnce() {
        try {
            Poll<Integer> p = Probe.pollOnceOrCancel(ch.receiver().recvFuture());
            return p.isReady() ? p.value() : ch.receiver().tryRecv();
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
        new ModelCheckingOptions().iterations(60).invocationsPerIteration(2_000)
                .threads(3).actorsPerThread(3).actorsBefore(2).actorsAfter(2)
                .sequentialSpecification(Spec.class).check(getClass());
    }

    @Test
    void stress() {
        new StressOptions().iterations(40).invocationsPerIteration(2_000)
                .threads(3).actorsPerThread(3)
                .sequentialSpecification(Spec.class).check(getClass());
    }

    /** The sequential specification: a deque with a capacity and a closed flag. */
    public static class Spec {
        private final ArrayDeque<Integer> queue = new ArrayDeque<>();
        private boolean closed;

        public String trySend(int v) {
            if (closed) {
                return "closed";
            }
            if (queue.size() == CAPACITY) {
                return "full";
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

        public void closeReceiver() {
            closed = true;
        }

        public void closeSender() {
            closed = true;
        }
    }
}

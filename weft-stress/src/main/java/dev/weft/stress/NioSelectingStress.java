package dev.weft.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weft.io.internal.nio.NioDriver;
import dev.weft.io.internal.nio.NioStressHooks;
import dev.weft.io.internal.nio.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The NIO driver's {@code selecting} handshake ({@code NioDriver}'s implementation notes: "changes
 * reach a blocked select"). The driver thread sets {@code selecting}, drains the queue of changes
 * for the last time and selects; a task queues a change (here its first wait on a channel, which
 * registers the key) and then reads {@code selecting} to decide whether to call
 * {@code Selector.wakeup()}. Either the drain applied the change before the select, or the select
 * is woken: never a select that blocks with the change unapplied.
 *
 * <p>Everything is the production code: a real {@link NioDriver} and {@link Registration}, over a
 * {@link RecordingSelector}, whose select records the key's interest when it would block and then
 * waits as a blocked select would (until a wake-up, or until the task has finished: then
 * nothing would ever wake it; see {@link WakeLatch}). r1 = 1 if the select would have watched the
 * channel for reads (the change was applied), r2 = how the select ended (1 woken, 2 never woken,
 * 3 inconclusive).
 */
@JCStressTest
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "the drain applied the change; the select waits for its channel")
@Outcome(id = {"0, 1", "1, 1"}, expect = ACCEPTABLE, desc = "the task woke the select (it re-drains and applies the change)")
@Outcome(id = {"0, 3", "1, 3"}, expect = ACCEPTABLE_INTERESTING, desc = "inconclusive: the task did not finish within ten seconds")
@Outcome(id = "0, 2", expect = FORBIDDEN, desc = "lost change: the select blocks for good without the channel and nobody wakes it")
@State
public class NioSelectingStress {
    final RecordingSelector selector = new RecordingSelector();
    final NioDriver driver = NioStressHooks.driver(selector);
    final Registration reg;
    final CountingWaker task = new CountingWaker();

    public NioSelectingStress() {
        try {
            reg = driver.register(new RecordingSelector.Channel());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The driver thread, with nothing to run: applies the queued changes, then selects. */
    @Actor
    public void driverThread() {
        driver.park(Long.MAX_VALUE);
    }

    /** A task's first wait for the channel: records read interest and queues the registration. */
    @Actor
    public void task() {
        try {
            reg.awaitReadable(task.cx);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            selector.latch.otherActorDone();
        }
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = selector.interestAtSelect >= 0 && (selector.interestAtSelect & SelectionKey.OP_READ) != 0 ? 1 : 0;
        r.r2 = selector.selectEnd;
    }
}
